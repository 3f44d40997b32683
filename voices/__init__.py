"""Voice profiles shipped with narrate (TOML files), installed as narrate.voice_profiles."""
