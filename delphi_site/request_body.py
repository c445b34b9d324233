"""Refuse a request whose body stopped short: the client hung up half-way through sending it.

gunicorn (like most WSGI servers) hands the application a body that simply ends early when
the connection closes before Content-Length bytes arrived, and Django parses whatever came.
A phone that loses its signal while posting the questionnaire would then have the first part
of its answers saved, the last text cut in the middle of a word, and the page the expert never
sees says "saved". Raising instead makes Django treat the body as unreadable: the CSRF check
cannot read the form and refuses the request (403) before any view runs, so nothing of it is
stored, and the expert's retry (or the page's autosave retry) sends the whole form again.
"""

from collections.abc import Callable, Iterable


class IncompleteBody(OSError):
    """The client closed the connection before sending the whole body."""


class _WholeBodyInput:
    """wsgi.input that raises IncompleteBody at an end of data before Content-Length.

    WSGI's read(n) returns fewer than n bytes only at the end of the data, so a short read
    (or an empty one) while bytes are still owed means the client is gone.
    """

    def __init__(self, stream, length: int):
        self._stream = stream
        self._owed = length

    def _account(self, data: bytes, asked: int | None) -> bytes:
        self._owed -= len(data)
        short = asked is None or asked < 0 or len(data) < asked
        if self._owed > 0 and short:
            raise IncompleteBody(f"client disconnected with {self._owed} bytes of the body unsent")
        return data

    def read(self, size: int | None = -1) -> bytes:
        data = self._stream.read() if size is None or size < 0 else self._stream.read(size)
        return self._account(data, size)

    def readline(self, size: int | None = -1) -> bytes:
        data = self._stream.readline() if size is None or size < 0 else self._stream.readline(size)
        if data.endswith(b"\n"):
            self._owed -= len(data)
            return data
        return self._account(data, size if size and size > 0 else None)

    def __iter__(self):
        return self

    def __next__(self) -> bytes:
        line = self.readline()
        if not line:
            raise StopIteration
        return line


def require_whole_body(application: Callable) -> Callable:
    """WSGI middleware: see the module docstring."""

    def wrapped(environ: dict, start_response: Callable) -> Iterable[bytes]:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > 0 and "wsgi.input" in environ:
            environ["wsgi.input"] = _WholeBodyInput(environ["wsgi.input"], length)
        return application(environ, start_response)

    return wrapped
