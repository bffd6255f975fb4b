"""Test and demo helpers of dongthap.qlvb, kept out of the production package.

* :mod:`.testpki` – a throw-away PKI for tests and demo data;
* :mod:`.testpeers` – its local HTTP peers: CRL files, OCSP responder, RFC 3161 TSA
  (``scripts/peers_ctl.py`` runs them for ``make start``);
* :mod:`.signing_demo` – the demo's seal and leader keys (TEST KEYS ONLY), installed with
  the demo data;
* :mod:`.views` + ``configure.zcml`` – TEST-ONLY views (``QLVB_TEST_VIEWS=1``).

Production loads none of it: no ZCML of ``dongthap.qlvb`` includes this package, and the
only modules of ``dongthap.qlvb`` that import it are the test layers (``testing.py``) and
the demo data (``demo/data.py``, which installs the demo's test keys); ``tests/
test_testing_package.py`` checks both. The test layers load its ZCML, and so does an
instance rendered by ``scripts/instance.py --testing`` (default: ``$QLVB_TEST_VIEWS``).
"""
