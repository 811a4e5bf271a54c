"""PDFs from HTML with WeasyPrint, the same way for every app: nothing is ever fetched."""


def refuse_fetching(url: str, *args, **kwargs):
    """WeasyPrint's URL fetcher: a PDF is built from its HTML alone, never from the network
    (a signer's text could otherwise make the server request any URL)."""
    raise ValueError(f"PDF generation fetches nothing; refused {url[:80]}")


def html_to_pdf(html: str) -> bytes:
    # WeasyPrint takes a second to import; only the processes that build PDFs pay for it.
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=refuse_fetching).write_pdf()
