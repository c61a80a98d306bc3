from __future__ import annotations

import pytest

from signposting.sms import FileSMSBackend, SMSMessage, normalise_uk_mobile, send_sms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("07700 900982", "+447700900982"),
        ("07700-900-982", "+447700900982"),
        ("+44 7700 900982", "+447700900982"),
        ("+44 (0)7700 900982", "+447700900982"),
        ("0044 7700 900982", "+447700900982"),
        ("447700900982", "+447700900982"),
        ("01202 123456", None),  # a landline cannot take a text
        ("0770090098", None),
        ("+1 202 555 0100", None),
        ("phone me", None),
        ("", None),
    ],
)
def test_normalise_uk_mobile(text, expected):
    assert normalise_uk_mobile(text) == expected


def test_send_sms_rejects_bad_numbers_with_a_clear_message(locmem_sms):
    with pytest.raises(ValueError, match="Enter a UK mobile number"):
        send_sms("01202 123456", "hello")
    assert locmem_sms == []
    send_sms("07700 900982", "hello")
    assert locmem_sms == [SMSMessage("+447700900982", "hello")]


def test_file_backend_writes_messages(tmp_path):
    FileSMSBackend(tmp_path).send_messages([SMSMessage("+447700900982", "Lunch club")])
    files = list(tmp_path.iterdir())
    assert len(files) == 1
    assert "Lunch club" in files[0].read_text()
