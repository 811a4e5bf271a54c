"""A working group in Chromium without JavaScript: a moderator creates a members-only group;
two representatives ask to join and are approved; one posts in French; the other, who reads
every post, receives it through a real SMTP server and answers from a mail client (an SMTP
message to `concord mailin`, its own process, with the earlier text quoted): the reply shows
in the thread without the quote; a stranger's mail to the same address is refused; a poll of
one vote per organisation counts one vote when two colleagues vote; the moderator closes the
thread with a conclusion. Every page is checked by axe-core."""

import smtplib
from email.message import EmailMessage

import pytest

from concord.groups.models import Group, Post
from tests.browser.conftest import sign_in, submit, visit
from tests.factories.accounts import UserFactory
from tests.factories.organisations import OrganisationFactory, RepresentativeFactory
from tests.mailin_server import mailin, wait_for

pytestmark = pytest.mark.browser

DOMAIN = "reply.concord.test"
FRENCH = "Bonjour à tous, je propose que nous rédigions ensemble une note sur l'accès aux fonds d'adaptation."


def _reply(to: str, sender: str, quoted: str) -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, "Re: Note commune"
    quote = "\n".join(f"> {line}" for line in quoted.strip().splitlines())
    message.set_content(
        f"Good idea, we can write the finance part.\n\nBakary\n\n"
        f"On Thu, 3 Dec 2026 at 10:00, Fatou Diallo <{to}> wrote:\n{quote}\n"
    )
    return message.as_bytes()


def test_a_members_only_group_by_web_and_by_email(
    open_page, settings, smtp_server, live_server, member_org, owner, colleague
):
    settings.BOUNCE_DOMAIN = settings.REPLY_DOMAIN = DOMAIN
    settings.SITE_URL = live_server.url
    mali = OrganisationFactory(name="Sahel Water Network", country_id="ML")
    fatou = RepresentativeFactory(
        organisation=mali,
        user=UserFactory(email="fatou@sahel.example", name="Fatou Diallo", language="fr"),
    ).user

    moderator = open_page(javascript=False)
    sign_in(moderator, owner.email)
    visit(moderator, "/groups/new/")
    form = "main form:has([name=name])"
    moderator.locator(f"{form} [name=name]").fill("Adaptation in the Sahel")
    moderator.locator(f"{form} [name=admission]").select_option("request")
    moderator.locator(f"{form} [name=visibility]").select_option("members")
    submit(moderator, form)
    group = Group.objects.get()
    assert group.is_members_only
    base = f"/groups/{group.slug}/"
    # The moderator follows on the web only, so the inbox holds the others' mail.
    moderator.get_by_label("On the web only").check()
    submit(moderator, f'form[action="{base}delivery/"]')

    people = {}
    for user in (fatou, colleague):
        people[user.email] = open_page(javascript=False)
        sign_in(people[user.email], user.email)
        visit(people[user.email], base)
        submit(people[user.email], f'form[action="{base}join/"]')
    visit(moderator, f"{base}members/")
    for _ in range(2):
        submit(moderator, 'form[action$="/approve/"]')
    assert group.memberships.filter(status="active").count() == 3

    writer = people[fatou.email]
    visit(writer, f"{base}threads/new/")
    form = "main form:has([name=title])"
    writer.locator(f"{form} [name=title]").fill("Note commune")
    writer.locator(f"{form} [name=body]").fill(FRENCH)
    submit(writer, form)
    thread_path = writer.url.split(live_server.url, 1)[1].split("?")[0]
    assert Post.objects.get().language == "fr"

    received = smtp_server.wait_for(1)
    assert [m["To"] for m in received] == [colleague.email]
    reply_to = received[0]["Reply-To"]
    assert reply_to.startswith("reply+") and received[0]["List-Id"]

    with mailin(DOMAIN) as port, smtplib.SMTP("127.0.0.1", port) as client:
        client.sendmail(colleague.email, [reply_to], _reply(reply_to, colleague.email, FRENCH))
        with pytest.raises(smtplib.SMTPDataError) as refused:
            client.sendmail(
                "stranger@example.net",
                [reply_to],
                _reply(reply_to, "stranger@example.net", "Hi"),
            )
        assert refused.value.smtp_code == 550
    assert wait_for(lambda: Post.objects.count() == 2)
    visit(moderator, thread_path)
    shown = moderator.locator("main").inner_text()
    assert "Good idea, we can write the finance part." in shown
    assert shown.count("note sur l'accès aux fonds") == 1  # the quote is not in the reply
    assert Post.objects.count() == 2  # the stranger's mail was not posted

    visit(moderator, f"{thread_path}poll/")
    form = "main form:has([name=question])"
    moderator.locator(f"{form} [name=question]").fill("Who writes the finance part?")
    moderator.locator(f"{form} [name=choices]").fill("Mangrove Keepers\nSahel Water Network")
    moderator.locator(f"{form} [name=per_organisation]").check()
    moderator.locator(f"{form} [name=closes_at]").fill("2030-01-01T10:00")
    submit(moderator, form)
    for page in (moderator, people[colleague.email]):
        visit(page, thread_path)
        vote_form = 'form[action*="/polls/"]'
        if page.locator(vote_form).count():
            page.locator(vote_form).get_by_label("Mangrove Keepers").check()
            submit(page, vote_form)
    # The colleague's organisation had voted: no form for them, and one vote counted.
    assert "Mangrove Keepers: 1" in people[colleague.email].locator("main").inner_text()

    visit(moderator, f"{thread_path}close/")
    moderator.locator("main form [name=conclusion]").fill(
        "Mangrove Keepers write the finance part."
    )
    submit(moderator, "main form:has([name=conclusion])")
    text = moderator.locator("main").inner_text()
    assert text.index("Mangrove Keepers write the finance part.") < text.index("Bonjour à tous")
