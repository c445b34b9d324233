"""Our date and time formats where Django's do not fit a sentence (FORMAT_MODULE_PATH)."""
