"""Serve the vulnerable app (or its fixed twin) on loopback, over http or https, in a thread."""

from __future__ import annotations

import socketserver
import ssl
import threading
import warnings
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from vulnapp.app import VulnApp


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output clean."""


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


def make_certificates(directory: Path) -> dict[str, Path]:
    """A test CA, a good certificate for localhost/127.0.0.1 and an expired self-signed one."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.now(UTC)
    san = x509.SubjectAlternativeName(
        [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    )

    def name(cn: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])

    def write(stem: str, cert: x509.Certificate, key: ec.EllipticCurvePrivateKey) -> None:
        (directory / f"{stem}.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        (directory / f"{stem}.key").write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(name("breachdesk test CA"))
        .issuer_name(name("breachdesk test CA"))
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    write("ca", ca, ca_key)
    good_key = ec.generate_private_key(ec.SECP256R1())
    good = (
        x509.CertificateBuilder()
        .subject_name(name("localhost"))
        .issuer_name(ca.subject)
        .public_key(good_key.public_key())
        .serial_number(2)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(san, critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    write("good", good, good_key)
    old_key = ec.generate_private_key(ec.SECP256R1())
    expired = (
        x509.CertificateBuilder()
        .subject_name(name("localhost"))
        .issuer_name(name("localhost"))
        .public_key(old_key.public_key())
        .serial_number(3)
        .not_valid_before(now - timedelta(days=60))
        .not_valid_after(now - timedelta(days=30))
        .add_extension(san, critical=False)
        .sign(old_key, hashes.SHA256())
    )
    write("expired", expired, old_key)
    return {"ca": directory / "ca.pem"}


def tls_context(directory: Path, *, fixed: bool) -> ssl.SSLContext:
    """Fixed: the CA-signed certificate, TLS 1.2+. Vulnerable: expired self-signed, TLS 1.0+."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    stem = "good" if fixed else "expired"
    context.load_cert_chain(directory / f"{stem}.pem", directory / f"{stem}.key")
    if fixed:
        context.minimum_version = ssl.TLSVersion.TLSv1_2
    else:
        with warnings.catch_warnings():  # deliberately weak: that is the planted flaw
            warnings.simplefilter("ignore", DeprecationWarning)
            context.minimum_version = ssl.TLSVersion.TLSv1
        context.set_ciphers("ALL:@SECLEVEL=0")
    return context


class VulnServer:
    """``with VulnServer(port, fixed=..., tls_dir=...) as s: s.url``; restartable on one port."""

    def __init__(self, port: int, *, fixed: bool, tls_dir: Path | None = None) -> None:
        self.port = port
        self.fixed = fixed
        self.tls_dir = tls_dir
        self._server: WSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The start URL."""
        scheme = "https" if self.tls_dir else "http"
        return f"{scheme}://127.0.0.1:{self.port}/"

    def start(self) -> Self:
        """Listen and serve in a daemon thread."""
        server = make_server(
            "127.0.0.1",
            self.port,
            VulnApp(fixed=self.fixed),
            server_class=_ThreadingServer,
            handler_class=_Quiet,
        )
        if self.tls_dir is not None:
            context = tls_context(self.tls_dir, fixed=self.fixed)
            server.socket = context.wrap_socket(server.socket, server_side=True)
            server.base_environ["HTTPS"] = "on"  # wsgiref derives wsgi.url_scheme from it
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
