"""Shipped code-list resources; a package so that setuptools ships its *.csv.gz files."""
