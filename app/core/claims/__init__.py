"""Claims about chips and money: figures read out of text (`amounts`), companies and chips named in
it (`entities`), sentences worth keeping (`suggestions`), and the claims table the store keeps for
highlights tagged chip, investment or claim (`table`). Builds on the store; the library keeps the
table up to date."""
