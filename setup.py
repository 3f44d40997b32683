"""Packaging that cannot leave a package out: every package under src/ is found, and the voice
profiles (the top-level voices/ folder) install as narrate.voice_profiles. Everything else is in
pyproject.toml."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages("src"), "narrate.voice_profiles"],
    package_dir={"": "src", "narrate.voice_profiles": "voices"},
)
