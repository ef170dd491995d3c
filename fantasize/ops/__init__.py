"""Operations: health, instance info, logging and CLI commands."""
