"""The python-telegram-bot layer: application, handlers, keyboards, limits; may import every package of bot."""
