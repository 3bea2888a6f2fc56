"""Build of the Excel add-in ``juesuan.xlam`` on any OS: ribbon XML, VBA project, package.

The ribbon calls one VBA callback, ``RibbonJuesuan.OnRibbon``, which hands the button id to
``addin.excel.on_ribbon``; the Python side decides what each id does.
"""

PROJECT_NAME = "juesuan"  # xlwings PROJECT_NAME: conf sheet "juesuan.conf", %USERPROFILE%\.juesuan\

# Ribbon button ids, fixed: addin.excel.HANDLERS is keyed by them. ASCII because they reach
# Python through a command line.
BUTTON_IDS = ("btnCheck", "btnClear", "btnNext", "btnRules", "btnPickText", "btnAbout")


class BuildError(Exception):
    """The add-in cannot be built; the message is meant for the person running the build."""
