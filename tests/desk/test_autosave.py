"""Autosaves: kept per person, one per article and one for a new article."""

import pytest
from django.db import IntegrityError
from django.http import QueryDict

from desk.autosave import AutosaveRefused, autosave_discard, autosave_of, autosave_store, form_data
from desk.models import Autosave
from tests.factories import make_article, make_staff

pytestmark = pytest.mark.django_db


def test_form_data_keeps_fields_but_not_the_token_or_the_loaded_version():
    post = QueryDict("csrfmiddlewaretoken=t&loaded_version=v&body=a%0D%0Ab&tags=x&tags=y")
    assert form_data(post) == {"body": ["a\nb"], "tags": ["x", "y"]}


def test_form_data_refuses_a_form_with_nothing_to_keep():
    with pytest.raises(AutosaveRefused):
        form_data(QueryDict("csrfmiddlewaretoken=t"))


def test_each_person_has_their_own_autosave_of_an_article():
    article, ana, ben = make_article(), make_staff("editor"), make_staff("writer")
    autosave_store(user=ana, article=article, data={"body": ["Ana's"]})
    autosave_store(user=ben, article=article, data={"body": ["Ben's"]})
    autosave_store(user=ana, article=article, data={"body": ["Ana's again"]})
    assert autosave_of(user=ana, article=article).values("body") == ["Ana's again"]
    assert autosave_of(user=ben, article=article).values("body") == ["Ben's"]
    assert Autosave.objects.count() == 2
    assert autosave_discard(user=ana, article=article) == 1
    assert autosave_of(user=ana, article=article) is None
    assert autosave_of(user=ben, article=article) is not None


def test_one_new_article_autosave_per_person():
    ana = make_staff("editor")
    autosave_store(user=ana, article=None, data={"body": ["First"]})
    autosave_store(user=ana, article=None, data={"body": ["Second"]})
    assert autosave_of(user=ana, article=None).values("body") == ["Second"]
    with pytest.raises(IntegrityError):
        Autosave.objects.create(user=ana, article=None, data={})
