"""Installer for the dongthap.qlvb package."""

from pathlib import Path
from setuptools import find_namespace_packages
from setuptools import setup

long_description = Path("README.md").read_text(encoding="utf-8")

setup(
    name="dongthap.qlvb",
    version="0.1.0.dev0",
    description=(
        "Hệ thống quản lý văn bản và điều hành (document management and executive "
        "direction) for the state agencies of Đồng Tháp province, on Plone 6"
    ),
    long_description=long_description,
    long_description_content_type="text/markdown",
    classifiers=[
        "Environment :: Web Environment",
        "Framework :: Plone",
        "Framework :: Plone :: 6.2",
        "Framework :: Plone :: Addon",
        "Programming Language :: Python :: 3.11",
        "License :: OSI Approved :: GNU General Public License v2 (GPLv2)",
        "Natural Language :: Vietnamese",
    ],
    license="GPL-2.0-only",
    packages=find_namespace_packages("src", include=["dongthap.*"]),
    package_dir={"": "src"},
    include_package_data=True,
    zip_safe=False,
    python_requires=">=3.11",
    install_requires=[
        "Products.CMFPlone",
        "plone.api",
        "plone.app.dexterity",
        "plone.restapi",
        "plone.app.contenttypes",
        "plonetheme.barceloneta",
        "collective.exportimport",
        "RelStorage",
        "psycopg2-binary",
        "pyHanko",
        "pypdf",
        "clamd",
        "lxml",
        "openpyxl",
        "defusedxml",  # openpyxl parses XLSX with it when installed: no entity expansion
        "python-docx",
        "reportlab",
        "requests",
        "segno",
    ],
    extras_require={
        "test": [
            "plone.app.testing",
            "pytest",
            "pytest-plone",
            "aiosmtpd",
            "playwright",
            "ruff",
        ],
    },
    entry_points={
        "z3c.autoinclude.plugin": ["target = plone"],
    },
)
