"""How the tests, the benchmark and the bundle check launch Debian's chromium (never a
Playwright download): as root, with no background services, and with every host but
127.0.0.1 unresolvable, so nothing can reach the closed network while the HTTP cache works."""

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-gpu",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
