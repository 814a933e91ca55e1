package extractors

// Extract runs every extractor over a document's pages (page i+1 is pages[i]).
// TODO(extract owner): placeholder until the extractors land.
func Extract(pages []string) Findings {
	return EmptyFindings()
}
