from django.db import migrations, models


class Migration(migrations.Migration):
    """``url`` hid Wagtail's ``Page.url`` (the page's own address); call it what it is."""

    dependencies = [("directory", "0002_seed_taxonomy")]
    operations = [
        migrations.RenameField("servicepage", "url", "website"),
        migrations.AlterField(
            model_name="servicepage",
            name="website",
            field=models.URLField(blank=True, max_length=500),
        ),
    ]
