"""DTW sales trends (chapter 3): which products' weekly sales follow the factory's capacity pattern."""
