"""Cache warming: the next races' cards kept fresh from spare upstream budget, the work divided
between processes by claims."""
