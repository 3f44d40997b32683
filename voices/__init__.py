"""Voice profiles shipped with narrate (TOML files); installed as the narrate.voice_profiles package."""
