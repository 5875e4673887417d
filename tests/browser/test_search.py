from tests.factories import ArticleFactory, ReplyFactory, ThreadFactory


def test_reader_searches_in_french_without_accents_and_opens_a_result(web, db):
    thread = ThreadFactory(
        article=ArticleFactory(title="Les laboratoires recrutent"),
        title="La Société Générale paie-t-elle trop ?",
    )
    reply = ReplyFactory(
        thread=thread, body="Cette société paie ses ingénieurs en actions."
    )
    ReplyFactory(thread=thread, body="Rien à voir.")
    page = web.page

    page.goto("/")
    page.fill("#site-search", "societe")
    page.press("#site-search", "Enter")
    page.wait_for_url("**/search/?q=societe")

    marks = page.locator(".hits mark")
    assert marks.first.is_visible()
    assert {text.lower() for text in marks.all_inner_texts()} == {"société"}
    assert page.locator(".reply-hit").count() == 1
    assert page.locator("#search-query").input_value() == "societe"
    web.screenshot("search-results")
    page.locator(".reply-hit a").click()
    page.wait_for_url(f"**{thread.get_absolute_url()}?reply={reply.pk}*")
    assert page.locator(f"#reply-{reply.pk}").is_visible()


def test_search_results_never_run_what_a_reply_contains(web, db):
    ReplyFactory(
        body="Les salaires <img src=x onerror=\"document.title='pwned'\"> "
        "<script>document.title='pwned'</script> sont fous."
    )
    page = web.page
    dialogs = []
    page.on("dialog", lambda dialog: dialogs.append(dialog) or dialog.dismiss())

    page.goto("/search/?q=salaires")

    assert page.locator(".reply-hit mark").count() == 1
    assert page.locator(".hits img, .hits script").count() == 0
    assert page.title() != "pwned"
    assert dialogs == []
