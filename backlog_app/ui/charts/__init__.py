"""Charts drawn with QPainter: the pain trend and the pain-by-day heat strip."""
