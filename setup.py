"""Packaging that cannot leave a package out: every folder under src/ is found (the data folders,
defaults/ and publishing/templates/, as namespace packages), and the voice profiles (the
top-level voices/ folder) install as narrate.voice_profiles. Everything else is in
pyproject.toml."""

from setuptools import find_namespace_packages, setup

setup(
    packages=[
        *find_namespace_packages(
            "src", include=["narrate", "narrate.*"], exclude=["*.__pycache__"]
        ),
        "narrate.voice_profiles",
    ],
    package_dir={"": "src", "narrate.voice_profiles": "voices"},
)
