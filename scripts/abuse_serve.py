#!/usr/bin/env python3
"""Bad requests against a live mnist-serve: each must get its status and a JSON error, and
/healthz must answer while they are in progress and afterwards.

Usage: scripts/abuse_serve.py [--serve BIN] [--model PATH]

Sends, over raw sockets: bytes that are not HTTP; a body of garbage; a truncated PNG; a 10 MB
body (declared, and chunked without a length); a PNG header declaring 100000×100000 pixels; a
body that never finishes; 200 connections that send half a request line and stop; 64 valid
predictions at once. Prints one line per case and exits with status 1 if any case fails.
"""
import argparse
import concurrent.futures
import json
import os
import socket
import struct
import sys
import time
import urllib.error
import urllib.request
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from serve_process import Server  # noqa: E402


def png_header(width, height):
    """A PNG whose valid IHDR (8-bit grey) declares width × height, then a token IDAT and IEND."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00")) + chunk(b"IEND", b""))


def read_response(sock, timeout):
    """(status, headers, body) of one HTTP/1.1 response, or (None, {}, b"") if the server closed
    the connection without one."""
    sock.settimeout(timeout)
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                return None, {}, b""
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:] if ":" in line)}
        length = int(headers.get("content-length", "0"))
        while len(body) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            body += chunk
        return status, headers, body[:length]
    except (ConnectionResetError, BrokenPipeError):
        return None, {}, b""


def request(host, port, method, path, body=b"", headers=None, timeout=30, chunked=False):
    """Sends one request on a fresh connection and returns (status, headers, body)."""
    headers = dict(headers or {})
    with socket.create_connection((host, port), timeout=timeout) as sock:
        lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}"]
        if chunked:
            lines.append("Transfer-Encoding: chunked")
        elif body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        lines += [f"{k}: {v}" for k, v in headers.items()]
        try:
            sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
            if chunked:
                for start in range(0, len(body), 1 << 16):
                    piece = body[start:start + (1 << 16)]
                    sock.sendall(b"%x\r\n" % len(piece) + piece + b"\r\n")
                sock.sendall(b"0\r\n\r\n")
            else:
                sock.sendall(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before a large body is sent; read its answer
        return read_response(sock, timeout)


def urllib_post(url, body, timeout=10):
    """POSTs with Python's urllib, which sends the whole body (with Connection: close) before it
    reads: (status, headers, body), or (None, {}, reason) when no answer came."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, body, {"Content-Type": "image/png"}), timeout=timeout) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()
    except (urllib.error.URLError, OSError) as error:
        return None, {}, str(error).encode()


def is_json_error(body):
    try:
        value = json.loads(body)
    except ValueError:
        return False
    return isinstance(value, dict) and list(value) == ["error"] and isinstance(value["error"], str) and value["error"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--serve", default=os.path.join(ROOT, ".build", "release", "mnist-serve"), help="the mnist-serve binary")
    parser.add_argument("--model", default="model.safetensors", help="model file from mnist-train")
    args = parser.parse_args()

    with open(os.path.join(ROOT, "data", "samples", "mnist-7.png"), "rb") as f:
        good_png = f.read()
    failures = 0

    with Server(args.serve, args.model) as server:
        host, port = server.url.split("//")[1].rstrip("/").rsplit(":", 1)
        port = int(port)
        png = {"Content-Type": "image/png"}

        def healthy():
            status, _, body = request(host, port, "GET", "/healthz", timeout=5)
            return status == 200

        def check(name, result, expected, json_error=True):
            nonlocal failures
            status, _, body = result
            good = status in expected and (not json_error or is_json_error(body))
            alive = healthy()
            failures += 0 if good and alive else 1
            shown = body[:90].decode("utf-8", "replace")
            print(f"{'ok  ' if good and alive else 'FAIL'} {name:<42} {status} {shown}"
                  f"{'' if alive else '  (/healthz did not answer afterwards)'}")

        check("not HTTP at all", raw_garbage(host, port), {400}, json_error=False)
        check("garbage body", request(host, port, "POST", "/api/predict", b"\x00\xffnot a png" * 50, png), {400})
        check("truncated PNG", request(host, port, "POST", "/api/predict", good_png[:len(good_png) // 2], png), {400})
        check("10 MB body with Content-Length", request(host, port, "POST", "/api/predict", os.urandom(10 << 20), png), {413})
        check("10 MB body, chunked", request(host, port, "POST", "/api/predict", os.urandom(10 << 20), png, chunked=True), {413})
        close = {"Content-Type": "image/png", "Connection": "close"}
        check("10 MB body, Connection: close", request(host, port, "POST", "/api/predict", os.urandom(10 << 20), close), {413})
        check("10 MB body, chunked, Connection: close",
              request(host, port, "POST", "/api/predict", os.urandom(10 << 20), close, chunked=True), {413})
        check("10 MB body through urllib", urllib_post(server.url + "api/predict", os.urandom(10 << 20)), {413})
        check("100000×100000 PNG header", request(host, port, "POST", "/api/predict", png_header(100000, 100000), png), {422})
        check("wrong method", request(host, port, "DELETE", "/api/predict"), {405})
        check("unknown route", request(host, port, "GET", "/admin"), {404})

        # A body that never finishes: 100 of 1000 declared bytes, then silence. /healthz must
        # answer while it waits, and the request must end with 408.
        started = time.monotonic()
        with socket.create_connection((host, port)) as stalled:
            stalled.sendall(f"POST /api/predict HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: 1000\r\n\r\n".encode() + good_png[:100])
            time.sleep(1)
            during = healthy()
            status, headers, body = read_response(stalled, timeout=60)
        seconds = time.monotonic() - started
        ok = status == 408 and is_json_error(body) and during and healthy()
        failures += 0 if ok else 1
        print(f"{'ok  ' if ok else 'FAIL'} {'body that never finishes':<42} {status} after {seconds:.1f}s, "
              f"/healthz during: {'yes' if during else 'NO'}")

        # Two hundred connections that send half a request line and stop (slowloris).
        loris = []
        for _ in range(200):
            sock = socket.create_connection((host, port))
            sock.sendall(b"GET /heal")
            loris.append(sock)
        during = healthy()
        ok = during
        results = []
        # Sixty-four predictions at once, while the half requests hang.
        with concurrent.futures.ThreadPoolExecutor(max_workers=64) as pool:
            results = list(pool.map(lambda _: request(host, port, "POST", "/api/predict", good_png, png)[0], range(64)))
        ok = ok and results.count(200) == 64
        for sock in loris:
            sock.close()
        ok = ok and healthy()
        failures += 0 if ok else 1
        print(f"{'ok  ' if ok else 'FAIL'} {'200 stalled connections + 64 at once':<42} "
              f"/healthz during: {'yes' if during else 'NO'}, {results.count(200)}/64 predictions answered 200")

    print("all cases passed" if failures == 0 else f"{failures} case(s) failed")
    sys.exit(1 if failures else 0)


def raw_garbage(host, port):
    """Bytes that are no HTTP request at all."""
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n")
        return read_response(sock, 10)


if __name__ == "__main__":
    main()
