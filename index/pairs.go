package index

import (
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/registry"
)

// Word pairs for phrase queries ("common grams").
//
// A phrase is slow only when all of its words are common: its searcher
// checks positions in every document holding all the words. A phrase with
// one rare word is fast already (the rare word's short postings lead). So
// fBigrams indexes just the adjacent pairs of two common words, "prior
// author" or "not medic": a small vocabulary, about a third more postings
// than the text, where indexing every pair cost 2.5 times the indexing CPU
// (a near-unique pair vocabulary). Phrases (phrase.go) then search the
// pairs first.
//
// commonWords are the most frequent English function words and the words
// of US health-insurance paperwork (denial letters, EOBs, notices: the
// wording and signal phrases collected in shared/domain/facts.md §2, §4
// and §5). Changing the list changes what is indexed: bump mappingVersion
// with it, so `run` rebuilds the index.
var commonWords = strings.Fields(`
a about above after again against all also an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have
having he her here his how i if in into is it its may might more most must my no non nor not now of
off on once only or other our out over own per same she should so some such than that the their them
then there these they this those through to too under until up upon us was we were what when where
which while who whom why will with within without would you your yours

abn account adjustment administrative adverse allowed amount appeal appealed appeals applied approval
approved authorization authorized balance behavioral benefit benefits billed billing business calendar
care case certificate charge charges claim claims clinical code codes coinsurance compensation contract
contractual copay copayment cosmetic cost coverage covered criteria custodial customer date dates day
days deadline decision deductible denial denials denied deny determination diagnosis discharge
document documentation documents drug drugs due durable effective eligibility eligible emergency
equipment evidence exception excluded exclusion expedited experimental explanation external facility
fair federal file filed filing formulary grievance guidelines health hearing home hospital independent
information infusion injection inpatient insurance insured internal investigational item lab laboratory
law letter level liability liable limit limits medicaid medical medically medicare member members
mental month months necessary necessity network non notice notification nursing obligation obtained
office organization out outpatient paid patient payer payment pharmacy physical physician plan plans
policy pre precertification prescription preventive primary prior procedure procedures processed
provider providers quantity reason reasons receipt received reconsideration records redetermination
referral rehabilitation remark request requested requests required responsibility responsible review
reviewed right rights routine service services skilled state step submit submitted summary supplies
supporting surgery terminated therapy time timely treatment urgent visit written
`)

// pairFilterType names the token filter type in Bleve's registry (the
// index mapping refers to it by this name).
const pairFilterType = "appealdesk_common_pairs"

// commonStems are commonWords as the text analyzer's stemmer leaves them.
var commonStems = func() map[string]bool {
	ts := make(analysis.TokenStream, len(commonWords))
	for i, w := range commonWords {
		ts[i] = &analysis.Token{Term: []byte(w)}
	}
	out := make(map[string]bool, len(ts))
	for _, t := range porter.NewPorterStemmer().Filter(ts) {
		out[string(t.Term)] = true
	}
	return out
}()

// commonPairFilter turns a token stream (after stemming) into the pairs of
// adjacent common words, "prior author".
type commonPairFilter struct{}

func (commonPairFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	var out analysis.TokenStream
	for i := 1; i < len(in); i++ {
		a, b := in[i-1], in[i]
		if !isPair(a, b) {
			continue
		}
		term := make([]byte, 0, len(a.Term)+1+len(b.Term))
		term = append(append(append(term, a.Term...), ' '), b.Term...)
		out = append(out, &analysis.Token{Term: term, Position: a.Position, Start: a.Start, End: b.End, Type: analysis.Shingle})
	}
	return out
}

// isPair reports whether two tokens make an indexed pair: adjacent, both
// common.
func isPair(a, b *analysis.Token) bool {
	return b.Position == a.Position+1 && commonStems[string(a.Term)] && commonStems[string(b.Term)]
}

func init() {
	err := registry.RegisterTokenFilter(pairFilterType, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return commonPairFilter{}, nil
	})
	if err != nil {
		panic(err) // registered twice: a programming error
	}
}
