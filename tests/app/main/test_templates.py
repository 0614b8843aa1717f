"""Every template compiles, as gunicorn's workers compile them all before taking requests (gunicorn.conf.py)."""

import weakref
from types import SimpleNamespace

import pytest
from jinja2 import DictLoader, Environment, TemplateSyntaxError

from app import compile_templates


def test_every_template_is_compiled_and_kept_before_any_request(app):
    names = app.jinja_env.list_templates(extensions=["html"])
    assert compile_templates(app) == len(names) > 100
    loader = weakref.ref(app.jinja_env.loader)
    assert [name for name in names if (loader, name) not in app.jinja_env.cache] == []


def test_a_template_with_a_mistake_stops_the_worker_starting():
    broken = SimpleNamespace(jinja_env=Environment(loader=DictLoader({"fine.html": "Hello", "broken.html": "{% if %}"})))
    with pytest.raises(TemplateSyntaxError):
        compile_templates(broken)
