"""E1 (part): the sync over sslmode=verify-full against a throwaway cluster with a CA made in the test.
Connects with the right CA and host name; refuses a host name the certificate does not name, and a foreign CA."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import psycopg
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pgcluster import PgCluster

from xinfang_desk.sync.central import create_window_role, init_central
from xinfang_desk.sync.config import conninfo_params
from xinfang_desk.sync.engine import sync_once

pytestmark = [pytest.mark.pg]


def _ca(name: str) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    return cert, key


def _server_cert(ca: x509.Certificate, ca_key: ec.EllipticCurvePrivateKey, dns: str) -> tuple[bytes, bytes]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, dns)]))
            .issuer_name(ca.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(dns)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(ca_key, hashes.SHA256()))
    return (cert.public_bytes(serialization.Encoding.PEM),
            key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption()))


@pytest.fixture(scope="module")
def tls_pg(tmp_path_factory: pytest.TempPathFactory):
    d = tmp_path_factory.mktemp("tls")
    ca, ca_key = _ca("xinfang test district CA")
    other_ca, _ = _ca("some other CA")
    (d / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (d / "other-ca.pem").write_bytes(other_ca.public_bytes(serialization.Encoding.PEM))
    cluster = PgCluster()
    cluster.start()
    try:
        if not cluster.ssl_supported():
            pytest.skip(f"the PostgreSQL server found ({cluster.kind}: {cluster.bindir}) was built without SSL; "
                        "the TLS test needs an SSL-capable server (e.g. Debian's postgresql package on PATH)")
        cluster.enable_ssl(*_server_cert(ca, ca_key, "localhost"))  # names localhost only, not 127.0.0.1
        yield cluster, d
    finally:
        cluster.destroy()


def _url(pg: PgCluster, db: str, role: str, host: str, rootcert: Path) -> str:
    return (f"postgresql://{role}@{host}:{pg.port}/{db}?sslmode=verify-full&sslrootcert={rootcert}"
            "&connect_timeout=5")


def test_sync_over_verify_full(tls_pg, window_factory):
    pg, d = tls_pg
    admin = pg.create_database()
    db = admin.rsplit("/", 1)[1]
    init_central(admin)
    role = create_window_role(admin, "BN01", "window-secret-BN01")
    w = window_factory("BN01")  # local window; its URL below points at the TLS cluster, not the shared one
    w.register(3)

    good = _url(pg, db, role, "localhost", d / "ca.pem")
    r = sync_once(w.db, "BN01", good)
    assert r.ok and r.online and r.pending == 0, r.errors
    with psycopg.connect(**conninfo_params(good)) as conn:
        ssl, version = conn.execute("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()").fetchone()
        assert ssl is True and version.startswith("TLSv1.")
        assert conn.execute("SELECT count(*) FROM central.pull_changes(0, 100)").fetchone()[0] > 3

    wrong_host = _url(pg, db, role, "127.0.0.1", d / "ca.pem")
    r = sync_once(w.db, "BN01", wrong_host)
    assert not r.ok and not r.online
    assert "does not match host name" in r.errors[0], r.errors
    with pytest.raises(psycopg.OperationalError, match="does not match host name"):
        psycopg.connect(**conninfo_params(wrong_host)).close()

    wrong_ca = _url(pg, db, role, "localhost", d / "other-ca.pem")
    w.register(1)
    r = sync_once(w.db, "BN01", wrong_ca)
    assert not r.ok and not r.online and r.pending > 0
    assert "certificate verify failed" in r.errors[0], r.errors
