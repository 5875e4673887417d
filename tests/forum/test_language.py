import pytest

from forum.language import guess_language
from forum.services import post_reply


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I think that the salaries are not what they seem for most of us.", "en"),
        ("Je pense que les salaires ne sont pas ce qu'ils semblent pour nous.", "fr"),
        ("Bravo !", None),
        ("OK pour moi, fine by me, and the rest.", None),
        ("https://example.org/the/and/is", None),
    ],
)
def test_the_language_of_a_text_is_guessed_only_when_clear(text, expected):
    assert guess_language(text) == expected


def test_a_reply_in_the_other_language_carries_its_lang(client, thread, user):
    english = post_reply(
        thread=thread,
        author=user,
        body="These offers are not typical: most of the market pays far less.",
    )
    french = post_reply(
        thread=thread,
        author=user,
        body="Ces offres ne sont pas typiques : le reste du marché paie bien moins.",
    )

    on_french_page = client.get(thread.get_absolute_url()).content.decode()
    on_english_page = client.get(
        thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    def body_tag(html, reply):
        start = html.index(f'id="reply-{reply.pk}"')
        return html[html.index('<div class="reply-body"', start) :].split(">")[0]

    assert 'lang="en"' in body_tag(on_french_page, english)
    assert "lang=" not in body_tag(on_french_page, french)
    assert 'lang="fr"' in body_tag(on_english_page, french)
    assert "lang=" not in body_tag(on_english_page, english)
