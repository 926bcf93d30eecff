import pytest

from images import usage


@pytest.mark.django_db  # the apps' own providers are asked too (none knows these ids)
def test_every_provider_is_asked_and_every_id_gets_an_answer():
    def leads(ids):
        return {ids[0]: [usage.Use("Lead image of “A”", "/a/")], 999: [usage.Use("stray")]}

    def bodies(ids):
        return {ids[0]: [usage.Use("In the body of “B”")]}

    usage.register(leads)
    usage.register(bodies)
    usage.register(leads)  # twice: kept once
    try:
        found = usage.uses_of([1, 2])
    finally:
        usage.unregister(leads)
        usage.unregister(bodies)
    assert found == {
        1: [usage.Use("Lead image of “A”", "/a/"), usage.Use("In the body of “B”")],
        2: [],
    }


def test_no_ids_asks_no_provider():
    def provider(ids):
        raise AssertionError("asked")

    usage.register(provider)
    try:
        assert usage.uses_of([]) == {}
    finally:
        usage.unregister(provider)
