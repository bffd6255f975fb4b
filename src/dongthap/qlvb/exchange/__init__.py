"""Inter-agency document exchange (liên thông văn bản).

* :mod:`dongthap.qlvb.exchange.edxml` — build, parse and validate edXML
  packages (QCVN 102:2016).
* :mod:`dongthap.qlvb.exchange.transports` — pluggable transports that move
  packages: the national axis over HTTP, or drop folders.

Both sub-packages are pure Python (no Plone/Zope imports) and can be used
on their own.
"""
