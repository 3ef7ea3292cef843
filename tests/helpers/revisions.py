"""An article's two versions, V1 and V2 (a correction), and posting a new revision through the API."""

V1 = ("Bridge Headline\n\n"
      "The minister said tolls paid for the bridge twice over since it opened in 2009.\n\n"
      "Receipts reached 830 million crowns by the end of last year, the treasury said.\n\n"
      "Critics said the concession favoured the operator.")
V2 = ("Bridge Headline\n\n"
      "Correction: an earlier version misstated the year.\n\n"
      "The minister said tolls paid for the bridge twice over since it opened in 2008.\n\n"
      "Receipts reached 830 milion crowns by the end of last year, the treasury said.")


def new_revision(api_as, article, text=V2):
    """Post ``text`` as the article's new revision, as the checker."""
    return api_as("checker").post(f"/api/articles/{article['id']}/revisions", json={"text": text})
