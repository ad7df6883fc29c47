"""Starting and stopping an mnist-serve process for the scripts and the browser test: on a free
port chosen by the system (--port 0), its URL read from the line it prints."""
import os
import re
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Server:
    """`with Server(binary, model) as server:` runs mnist-serve until the block ends; `server.url`
    is its base URL, ending in "/". `arguments` go to mnist-serve after the model and port."""

    def __init__(self, binary, model, timeout=60, arguments=()):
        self.binary = binary
        self.model = model
        self.arguments = list(arguments)
        self.timeout = timeout
        self.process = None
        self.url = None

    def __enter__(self):
        self.process = subprocess.Popen([self.binary, "--model", self.model, "--port", "0", *self.arguments],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + self.timeout
        lines = []
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            lines.append(line)
            match = re.search(r"(http://\S+/)", line)
            if match:
                self.url = match.group(1)
                return self
        self.process.kill()
        raise RuntimeError("mnist-serve did not start:\n" + "".join(lines))

    def __exit__(self, *exc):
        self.process.terminate()  # SIGTERM: the server shuts down gracefully
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise RuntimeError("mnist-serve did not stop within 10 s of SIGTERM")
        return False
