"""Store-item forecasting with Prophet on Spark (chapter 6) and safety stock from its error (chapter 4)."""
