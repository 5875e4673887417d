"""What the WSGI module leaves behind once it has loaded the site."""

from tests.support import run_python


def test_loading_the_site_freezes_what_it_made_out_of_the_collectors_reach():
    """Every object made while the site loads lives as long as the process:
    frozen, a full collection no longer reads them all again."""
    found = run_python(
        "import gc, json; import forum.wsgi; "
        "print(json.dumps({'frozen': gc.get_freeze_count(), "
        "'tracked': len(gc.get_objects())}))",
        DJANGO_DEBUG="0",
        SECRET_KEY="wsgi-test-secret-key-0123456789abcdefghijklmnopqrstuv",
    )

    frozen, tracked = found["frozen"], found["tracked"]
    # Django and the site's modules: tens of thousands of objects, and
    # nearly none left for the collector.
    assert frozen > 20_000
    assert tracked < frozen // 20
