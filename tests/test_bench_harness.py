"""The benchmark harness (bench/harness.py): ratios, interleaving, the report line, the load
generator. Quick: no app, no gunicorn."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench import harness
from bench.harness import Sample


def pairs_of(*seconds):
    return [(Sample(a), Sample(b)) for a, b in seconds]


def test_median_ratio_is_the_median_of_the_pair_ratios():
    # Ratios 2.0, 0.5, 3.0, 1.5: the median of four is the mean of 1.5 and 2.0.
    pairs = pairs_of((2, 1), (1, 2), (3, 1), (3, 2))
    assert harness.median_ratio(pairs) == pytest.approx(1.75)
    # Inverted: 0.5, 2.0, 1/3, 2/3 -> median of (0.5, 2/3) = 7/12.
    assert harness.median_ratio(pairs, invert=True) == pytest.approx(7 / 12)


def test_median_ratio_by_a_key_and_not_the_ratio_of_medians():
    pairs = [(Sample(1, extra={"throughput": 60}), Sample(1, extra={"throughput": 100})),
             (Sample(1, extra={"throughput": 50}), Sample(1, extra={"throughput": 200})),
             (Sample(1, extra={"throughput": 90}), Sample(1, extra={"throughput": 100}))]
    # Pair ratios 0.6, 0.25, 0.9 -> 0.6 (the ratio of medians would be 60/100 too, but of
    # means 200/400 = 0.5).
    assert harness.median_ratio(pairs, key=lambda s: s.extra["throughput"]) == pytest.approx(0.6)
    with pytest.raises(ValueError):
        harness.median_ratio([])


def test_interleaved_runs_a_then_b_in_turn():
    calls = []

    def run(name):
        def go():
            calls.append(name)
            return Sample(len(calls))
        return go

    pairs = harness.interleaved(run("a"), run("b"), pairs=4)
    assert calls == ["a", "b"] * 4
    assert [(a.seconds, b.seconds) for a, b in pairs] == [(1, 2), (3, 4), (5, 6), (7, 8)]


def test_report_prints_one_line_and_records_it(capsys, tmp_path, monkeypatch):
    results = tmp_path / "results.jsonl"
    monkeypatch.setenv(harness.RESULTS_FILE_VARIABLE, str(results))
    harness.report("P9", ratio=0.8333, target=">=0.6", met=True, a="412tx/s", b="494tx/s",
                   pairs=[1, 2])
    assert capsys.readouterr().out == "P9: ratio=0.83 target=>=0.6 A=412tx/s B=494tx/s\n"
    record = json.loads(results.read_text())
    assert record["name"] == "P9" and record["met"] is True and record["ratio"] == 0.8333
    assert record["details"] == {"pairs": [1, 2]}
    assert harness.RESULTS[-1]["line"] == "P9: ratio=0.83 target=>=0.6 A=412tx/s B=494tx/s"


def test_percentile_by_nearest_rank():
    values = list(range(1, 101))
    assert harness.percentile(values, 50) == 50
    assert harness.percentile(values, 99) == 99
    assert harness.percentile([5.0], 99) == 5.0
    assert harness.percentile([], 99) == 0.0


def test_scale_and_pairs_follow_short_mode():
    assert harness.scale(1000, 10) == (10 if harness.SHORT else 1000)
    minimum = 2 if harness.SHORT else 4
    assert minimum <= harness.PAIRS


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    posts: list[bytes] = []

    def do_GET(self):  # noqa: N802 - the http.server name
        body = b"hello"
        code = 200 if self.path != "/broken" else 500
        self.send_response(code)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Set-Cookie", "visit=1; Path=/")
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):  # noqa: N802 - the http.server name
        Handler.posts.append(self.rfile.read(int(self.headers["Content-Length"])))
        self.send_response(303)
        self.send_header("Location", "/thanks")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_load_counts_transactions_and_statuses(server):
    result = harness.load(server, ["/", "/broken"], threads=3, requests=40)
    assert result.transactions == 40
    assert result.statuses == {200: 20, 500: 20}
    assert result.server_errors == 20
    assert result.throughput > 0 and result.p99_ms >= result.p50_ms > 0
    sample = result.sample()
    assert sample.extra["transactions"] == 40


def test_a_transaction_posts_form_data_and_follows_the_redirect(server):
    Handler.posts.clear()

    def submit(client, number):
        page = client.get("/form")
        assert client.cookies == {"visit": "1"}
        sent = client.post("/form", data=[("n", str(number)), ("q", "a b")], follow=True)
        return [page.status, sent.status]

    result = harness.load(server, submit, threads=2, requests=6)
    assert result.statuses == {200: 12}
    assert sorted(Handler.posts) == sorted(f"n={n}&q=a+b".encode() for n in range(6))


def test_free_port_is_free():
    port = harness.free_port()
    assert 1024 <= port <= 65535
