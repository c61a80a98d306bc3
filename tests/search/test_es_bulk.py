"""Bulk index writes against a local HTTP stub that answers like a busy cluster.

No Elasticsearch is needed: a tiny ``http.server`` on 127.0.0.1 answers each request
from a script (429 first, then 200, ...) and records what the real client sent, so
the client's own retries and ``helpers.streaming_bulk``'s are what is tested.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatch
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from elasticsearch import helpers

from search.backends.elasticsearch import ElasticsearchBackend, bulk

#: Short back-offs so the tests stay quick, but long enough to be measurable.
FAST = bulk.RetryPolicy(max_retries=2, initial_backoff=0.05, max_backoff=0.2, bulk_retries=3)


@dataclass
class Answer:
    """An HTTP answer; status 0 drops the connection without one."""

    status: int
    body: dict[str, Any]


@dataclass
class Stub:
    """Scripted answers per path (the last one repeats), and every request seen."""

    script: dict[str, list[Answer]] = field(default_factory=dict)
    seen: list[tuple[float, str, str, bytes]] = field(default_factory=list)
    url: str = ""

    def answer(self, method: str, path: str, body: bytes) -> Answer:
        """The script for "METHOD path" or "path", exactly or as a glob pattern."""
        keys = [f"{method} {path}", path]
        found = next((k for k in keys if k in self.script), None)
        found = found or next((k for k in self.script if any(fnmatch(x, k) for x in keys)), None)
        if found is None:
            return Answer(404, {"error": "no script", "status": 404})
        queue = self.script[found]
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        return echo_bulk(body) if answer is ECHO_BULK else answer

    def bulk_bodies(self) -> list[list[dict[str, Any]]]:
        return [
            [json.loads(line) for line in body.splitlines() if line.strip()]
            for _, _method, path, body in self.seen
            if path.startswith("/_bulk")
        ]


@pytest.fixture
def stub() -> Iterator[Stub]:
    state = Stub()

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            path = self.path.split("?")[0]
            state.seen.append((time.monotonic(), self.command, self.path, body))
            answer = state.answer(self.command, path, body)
            if not answer.status:
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            data = json.dumps(answer.body).encode()
            self.send_response(answer.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("X-Elastic-Product", "Elasticsearch")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


#: A bulk answer made from the request: every action succeeds.
ECHO_BULK = Answer(200, {})


def echo_bulk(body: bytes) -> Answer:
    items = []
    for line in body.splitlines():
        op, meta = next(iter(json.loads(line).items()))
        if op in {"index", "create", "update", "delete"}:
            items.append({op: {"_index": meta["_index"], "_id": meta["_id"], "status": 200}})
    return Answer(200, {"took": 1, "errors": False, "items": items})


def bulk_ok(*ids: str, op: str = "index", status: int = 200) -> Answer:
    items = [{op: {"_index": "i", "_id": pk, "status": status}} for pk in ids]
    return Answer(200, {"took": 1, "errors": False, "items": items})


def index_actions(*ids: str) -> list[dict[str, Any]]:
    return [{"_index": "i", "_id": pk, "_source": {"title": f"Listing {pk}"}} for pk in ids]


def client(stub: Stub) -> Any:
    from elasticsearch import Elasticsearch

    return Elasticsearch(stub.url, request_timeout=5, **bulk.client_options(FAST))


def bulk_ids(body: list[dict[str, Any]]) -> list[str]:
    return [next(iter(line.values()))["_id"] for line in body if "_id" in next(iter(line.values()))]


def test_a_429_answer_is_retried_after_a_back_off(stub: Stub) -> None:
    stub.script["/_bulk"] = [Answer(429, {"error": "too many requests", "status": 429})]
    stub.script["/_bulk"].append(bulk_ok("1", "2"))
    assert bulk.write(client(stub), index_actions("1", "2"), FAST) == 2
    sent = [t for t, _, path, _ in stub.seen if path.startswith("/_bulk")]
    assert len(sent) == 2
    assert sent[1] - sent[0] >= FAST.initial_backoff  # backed off, not hammered


def test_documents_rejected_inside_a_bulk_answer_are_sent_again_alone(stub: Stub) -> None:
    rejected = {
        "index": {
            "_index": "i",
            "_id": "2",
            "status": 429,
            "error": {"type": "es_rejected_execution_exception"},
        }
    }
    first = bulk_ok("1", "3")
    first.body["errors"] = True
    first.body["items"].insert(1, rejected)
    stub.script["/_bulk"] = [first, bulk_ok("2")]
    assert bulk.write(client(stub), index_actions("1", "2", "3"), FAST) == 3
    bodies = stub.bulk_bodies()
    assert [bulk_ids(b) for b in bodies] == [["1", "2", "3"], ["2"]]


def test_a_lost_connection_is_retried_by_the_transport(stub: Stub) -> None:
    stub.script["/_bulk"] = [Answer(0, {}), bulk_ok("1")]
    assert bulk.write(client(stub), index_actions("1"), FAST) == 1
    assert len(stub.bulk_bodies()) == 2


def test_a_node_restarting_is_retried_by_the_transport(stub: Stub) -> None:
    stub.script["/_bulk"] = [
        Answer(503, {"error": "unavailable", "status": 503}),
        Answer(502, {"error": "bad gateway", "status": 502}),
        bulk_ok("1"),
    ]
    assert bulk.write(client(stub), index_actions("1"), FAST) == 1
    assert len(stub.bulk_bodies()) == 3


def test_what_still_fails_raises_so_the_outbox_keeps_it(stub: Stub) -> None:
    stub.script["/_bulk"] = [Answer(429, {"error": "too many requests", "status": 429})]
    with pytest.raises(Exception) as raised:
        bulk.write(client(stub), index_actions("1"), FAST)
    assert getattr(raised.value, "status_code", None) == 429
    # One request, then streaming_bulk's retries (the transport leaves 429 to it).
    assert len(stub.bulk_bodies()) == FAST.bulk_retries + 1


def test_a_rejected_document_is_an_error_but_a_missing_delete_is_not(stub: Stub) -> None:
    answer = bulk_ok("1")
    answer.body["errors"] = True
    answer.body["items"].append(
        {
            "index": {
                "_index": "i",
                "_id": "2",
                "status": 400,
                "error": {"type": "mapper_parsing_exception"},
            }
        }
    )
    answer.body["items"].append(
        {"delete": {"_index": "i", "_id": "3", "status": 404, "result": "not_found"}}
    )
    stub.script["/_bulk"] = [answer]
    actions = [*index_actions("1", "2"), {"_op_type": "delete", "_index": "i", "_id": "3"}]
    with pytest.raises(helpers.BulkIndexError) as raised:
        bulk.write(client(stub), actions, FAST)
    assert [next(iter(e.values()))["_id"] for e in raised.value.errors] == ["2"]
    assert len(stub.bulk_bodies()) == 1  # a 400 is not retried


def test_the_backend_removes_pages_through_the_retrying_writer(stub: Stub) -> None:
    alias = "test-stub-listings"
    stub.script[f"/_alias/{alias}"] = [Answer(200, {f"{alias}-1": {"aliases": {alias: {}}}})]
    stub.script["/_bulk"] = [
        Answer(429, {"error": "too many requests", "status": 429}),
        bulk_ok("7", "8", op="delete"),
    ]
    backend = ElasticsearchBackend(stub.url, prefix="test-stub", retry=FAST)
    backend.remove_pages([7, 8])
    bodies = stub.bulk_bodies()
    assert len(bodies) == 2
    assert bodies[-1] == [
        {"delete": {"_index": alias, "_id": "7"}},
        {"delete": {"_index": alias, "_id": "8"}},
    ]
    refreshed = [path for _, _, path, _ in stub.seen if path.startswith("/_bulk")]
    assert all("refresh=wait_for" in path for path in refreshed)


def test_a_rebuild_moves_the_alias_then_catches_up_with_what_changed_meanwhile(
    stub: Stub, make_listing: Callable[..., Any], committed: Callable[[], Any]
) -> None:
    lunch = make_listing("Tuesday Lunch Club")
    knit = make_listing("Knit and Natter")
    alias = "test-stub-listings"
    ok = Answer(200, {"acknowledged": True})
    stub.script = {
        f"GET /_alias/{alias}": [Answer(200, {f"{alias}-old": {"aliases": {alias: {}}}})],
        f"PUT /{alias}-*": [ok],
        "/_bulk": [ECHO_BULK],
        f"* /{alias}-*/_refresh": [Answer(200, {"_shards": {"total": 1}})],
        "POST /_aliases": [ok],
        # The scan of the new index: the two listings and one no longer public.
        f"* /{alias}-*/_search": [
            Answer(
                200,
                {
                    "_scroll_id": "s1",
                    "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
                    "hits": {"hits": [{"_id": str(p)} for p in (lunch.pk, knit.pk, 999999)]},
                },
            )
        ],
        "* /_search/scroll": [Answer(200, {"_scroll_id": "s1", "hits": {"hits": []}})],
        f"DELETE /{alias}-old": [ok],
    }
    backend = ElasticsearchBackend(stub.url, prefix="test-stub", retry=FAST)
    edited: list[int] = []

    def meanwhile(done: int, total: int) -> None:
        if not edited:  # a publish while the new index fills: it reaches the old one
            with committed():
                lunch.title = "Tuesday Lunch and Quiz Club"
                lunch.save_revision().publish()
            edited.append(done)

    assert backend.rebuild(progress=meanwhile) == 2
    requests = [(method, path.split("?")[0]) for _, method, path, _ in stub.seen]
    moved = requests.index(("POST", "/_aliases"))
    assert ("DELETE", f"/{alias}-old") in requests[moved:]
    swap = json.loads(next(b for _, m, p, b in stub.seen if p.startswith("/_aliases")))
    new = swap["actions"][0]["add"]["index"]
    assert swap["actions"] == [
        {"add": {"index": new, "alias": alias}},
        {"remove": {"index": f"{alias}-old", "alias": alias}},
    ]
    fill, catch_up = stub.bulk_bodies()
    assert {line["index"]["_index"] for line in fill if "index" in line} == {new}
    # After the swap, through the alias: the edited listing again, the stray one out.
    assert [
        (op, meta["_index"], meta["_id"])
        for line in catch_up
        for op, meta in line.items()
        if op in {"index", "delete"}
    ] == [
        ("index", alias, str(lunch.pk)),
        ("delete", alias, "999999"),
    ]
    assert "Quiz" in json.dumps(catch_up)
