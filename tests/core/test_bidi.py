"""The pieces that keep text of the other direction whole: what markup each one writes, that
it escapes what it wraps, and the writing direction every form input gets."""

from django import forms
from django.template import Context, Template
from django.utils.translation import gettext_lazy, override

from concord.core import bidi


def render(source: str, **context) -> str:
    """A template as the pages have them: the isolation filters need no {% load %}."""
    return Template(source).render(Context(context))


def test_user_text_is_isolated_and_escaped():
    assert render("{{ name|bdi }}", name="Green Earth Ltd.") == "<bdi>Green Earth Ltd.</bdi>"
    assert render("{{ name|bdi }}", name="<b>A&B</b>") == "<bdi>&lt;b&gt;A&amp;B&lt;/b&gt;</bdi>"


def test_empty_values_write_nothing():
    assert render("[{{ city|bdi }}][{{ code|ltr }}]", city="", code=None) == "[][]"


def test_codes_and_figures_with_their_unit_read_left_to_right():
    assert render("{{ code|ltr }}", code="C12-0A1B") == '<bdi dir="ltr">C12-0A1B</bdi>'
    written = render('{{ budget|floatformat:"0"|ltr:currency }}', budget=12000, currency="XOF")
    assert written == '<bdi dir="ltr">12000 XOF</bdi>'


def test_a_range_is_one_left_to_right_piece_with_its_unit():
    written = render(
        '{% ltr_range low|floatformat:"0" high|floatformat:"0" unit %}',
        low=20000,
        high=100000,
        unit="USD",
    )
    assert written == f'<bdi dir="ltr">20000{bidi.EN_DASH}100000 USD</bdi>'


def test_a_range_with_one_end_writes_that_end_and_escapes_every_part():
    assert bidi.ltr_range("", "5<0", "U&S") == '<bdi dir="ltr">5&lt;0 U&amp;S</bdi>'


def test_a_filled_sentence_escapes_the_translation_but_keeps_the_isolated_values():
    filled = bidi.fill("%(name)s & co joined.", {"name": bidi.isolate("<Green>")})
    assert filled == "<bdi>&lt;Green&gt;</bdi> &amp; co joined."
    assert bidi.fill("Code: %(code)s", {"code": "<x>"}) == "Code: &lt;x&gt;"


def test_a_lazy_help_text_is_translated_when_it_is_drawn():
    help_text = bidi.fill_lazy(gettext_lazy("Badge code"), {})
    with override("fr"):
        assert str(help_text) == "Code du badge"
    assert render("{{ help }}", help=bidi.fill_lazy("e.g. %(c)s", {"c": bidi.ltr("C1-2")})) == (
        'e.g. <bdi dir="ltr">C1-2</bdi>'
    )


class Sample(forms.Form):
    name = forms.CharField()
    story = forms.CharField(widget=forms.Textarea)
    query = forms.CharField(widget=forms.TextInput(attrs={"type": "search"}))
    email = forms.EmailField()
    website = forms.URLField(assume_scheme="https")
    slug = forms.SlugField()
    code = forms.CharField(widget=forms.TextInput(attrs={"dir": "ltr"}))
    count = forms.IntegerField()
    when = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    country = forms.ChoiceField(choices=[("SN", "Senegal")])
    secret = forms.CharField(widget=forms.PasswordInput)
    token = forms.CharField(widget=forms.HiddenInput)


def direction(form: forms.Form, name: str) -> str | None:
    bound = form[name]
    return bound.build_widget_attrs({}).get("dir", bound.field.widget.attrs.get("dir"))


def test_every_form_input_carries_its_writing_direction(settings):
    assert settings.FORM_RENDERER == "concord.core.forms.Renderer"
    form = Sample()
    assert {name: direction(form, name) for name in form.fields} == {
        "name": "auto",
        "story": "auto",
        "query": "auto",
        "email": "ltr",
        "website": "ltr",
        "slug": "ltr",
        "code": "ltr",
        "count": None,
        "when": None,
        "country": None,
        "secret": None,
        "token": None,
    }
    html = str(form["name"]) + str(form["code"])
    assert 'name="name"' in html and 'dir="auto"' in html
    assert html.count("dir=") == 2  # the form's own dir="ltr" is not overridden
