"""A post on its way to the screen: a file becomes a `Post` (`post`: encoding, front matter,
metadata), its Markdown becomes blocks of HTML with readings (`render`), and those become the
reader's page (`page`). Every render also makes the one plain text (`plain_text`) that highlights
point into, with selectors that find a span again after the text changes (`anchoring`)."""
