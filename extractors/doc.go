// Package extractors turns a document's text into the findings an appeal
// needs: codes, dates with roles, deadlines, amounts, identifiers, payer,
// document type and denial reasons. Its functions are pure: text in, findings out.
package extractors
