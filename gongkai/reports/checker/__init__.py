"""Checking annual reports published by anyone (issue 4 §4, RPT-22).

``readers`` turns a file into rows, ``extract`` rows into tables 二/三/四, ``detect`` names
the format, ``claims`` reads the narrative's sums and percentages, ``check`` puts the
findings together and ``cli`` prints them for ``gongkai report check``.
"""
