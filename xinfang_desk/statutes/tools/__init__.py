"""Developer tools for the statute catalogue (not used at run time)."""
