"""Reading Japanese: fugashi tokens, readings in context (`furigana`), the rules that fix what the
dictionary gets wrong (`reading_rules`), furigana modes (`furigana_mode`) and what the word popup
shows about a word (`words`). Knows nothing of posts or the library."""
