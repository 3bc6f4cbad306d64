"""fetch_articles against a local web server on 127.0.0.1 (started and stopped here): never the internet."""

from __future__ import annotations

import http.server
import threading
import time
from pathlib import Path

import pytest

import narrativediff as nd

PAGES = Path(__file__).parent / "fixtures" / "pages"


class _Handler(http.server.BaseHTTPRequestHandler):
    hits: dict = {}

    def log_message(self, *args):  # keep the test output clean
        pass

    def _send(self, status: int, body: bytes, content_type: str):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        type(self).hits[self.path] = type(self).hits.get(self.path, 0) + 1
        type(self).agents.append(self.headers.get("User-Agent"))
        name = self.path.split("?")[0].strip("/")
        if name == "slow":
            time.sleep(1.5)
            self._send(200, b"<html><body><p>Too late to matter.</p></body></html>", "text/html")
        elif name == "data.json":
            self._send(200, b'{"headline": "not a page"}', "application/json")
        elif name == "flaky":
            if type(self).hits[self.path] == 1:
                self._send(503, b"busy", "text/plain")
            else:
                self._send(200, (PAGES / "northsea_daily.html").read_bytes(), "text/html; charset=utf-8")
        elif name == "empty":
            self._send(200, b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "text/html")
        elif (PAGES / name).is_file():
            self._send(200, (PAGES / name).read_bytes(), "text/html; charset=utf-8")
        else:
            self._send(404, b"<html><body><h1>Not found</h1></body></html>", "text/html")


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # the client gave up on the slow page
        pass


@pytest.fixture
def server():
    _Handler.hits, _Handler.agents = {}, []
    httpd = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_one_bad_url_loses_none_of_the_rest(server):
    urls = [f"{server}/esterholm_post.html", f"{server}/missing.html", f"{server}/slow",
            f"{server}/data.json", f"{server}/riverside_gazette.htm", f"{server}/empty"]
    articles, failures = nd.fetch_articles(urls, timeout=0.5, retries=1, backoff=0.0)
    assert [a.title for a in articles] == ["Flood barrier fails as storm surge hits Esterholm",
                                           "Esterholm counts cost as flood water recedes"]
    assert articles[0].source == "The Esterholm Post" and articles[0].url == urls[0]
    assert articles[0].published == "2025-03-11T08:30:00+01:00"
    assert list(failures.columns) == ["source", "url", "status", "error", "attempts"]
    by_url = failures.set_index("url")
    assert list(by_url.index) == [urls[1], urls[2], urls[3], urls[5]]
    assert by_url.loc[urls[1], "status"] == 404 and "404" in by_url.loc[urls[1], "error"]
    assert by_url.loc[urls[1], "attempts"] == 1  # a 404 is not tried again
    assert "timed out" in by_url.loc[urls[2], "error"] and by_url.loc[urls[2], "attempts"] == 2
    assert "application/json" in by_url.loc[urls[3], "error"]
    assert "no article text" in by_url.loc[urls[5], "error"] and by_url.loc[urls[5], "status"] == 200


def test_a_retry_recovers_from_a_busy_server_and_the_user_agent_is_sent(server):
    articles, failures = nd.fetch_articles({"Daily": f"{server}/flaky"}, retries=2, backoff=0.0,
                                           user_agent="nd-test/1")
    assert failures.empty and [a.source for a in articles] == ["Daily"]
    assert _Handler.hits["/flaky"] == 2
    assert set(_Handler.agents) == {"nd-test/1"}


def test_without_retries_a_busy_server_is_a_failure(server):
    articles, failures = nd.fetch_articles([f"{server}/flaky"], retries=0)
    assert articles == [] and failures["status"].tolist() == [503]


def test_two_pages_of_one_site_get_distinct_names(server):
    url = f"{server}/northsea_daily.html"
    articles, _ = nd.fetch_articles([url, url + "?again"])
    assert [a.source for a in articles] == ["North Sea Daily", "North Sea Daily (2)"]


@pytest.mark.parametrize("options, name", [({"timeout": 0}, "timeout"), ({"retries": -1}, "retries"),
                                           ({"max_workers": 0}, "max_workers")])
def test_bad_options_name_the_parameter(options, name):
    with pytest.raises(nd.InvalidParameterError, match=name):
        nd.fetch_articles(["http://127.0.0.1:9/x"], **options)


def test_a_url_that_is_not_http_is_refused():
    with pytest.raises(nd.InvalidInputError, match="not an http"):
        nd.fetch_articles(["file:///etc/passwd"])


def test_fetched_articles_compare_through_the_real_model(server, encoder):
    urls = [f"{server}/{name}" for name in ("esterholm_post.html", "northsea_daily.html", "riverside_gazette.htm")]
    articles, failures = nd.fetch_articles(urls)
    assert failures.empty
    comparison = nd.compare(articles, model=encoder)
    assert set(comparison.sentences["source"]) == {"The Esterholm Post", "North Sea Daily", "Riverside Gazette"} \
        or len(set(comparison.sentences["source"])) == 3
    assert len(comparison.alignment) > 0
    assert comparison.alignment["days_apart"].notna().all()
