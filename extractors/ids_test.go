package extractors

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestFindIdentifiers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name            string
		pages           []string
		claims, members []string
	}{
		{"claim hash", []string{"Claim #: UHC12345"}, []string{"UHC12345"}, nil},
		{"clm hash with more on the line", []string{"CLM#: UHC778812 DOS: 01/12/26"}, []string{"UHC778812"}, nil},
		{"claim number and member id", []string{"Member: Member Name Member ID: 000000000-00 Claim Number: 00000A000000"}, []string{"00000A000000"}, []string{"000000000-00"}},
		{"claim id", []string{"Claim ID 2024-0456-7781"}, []string{"2024-0456-7781"}, nil},
		{"icn dcn tcn", []string{"ICN: 1224012345670\nDCN 22-314-55501\nTCN: 4401234567890123"}, []string{"1224012345670", "22-314-55501", "4401234567890123"}, nil},
		{"reference number", []string{"Reference #: CV966757"}, []string{"CV966757"}, nil},
		{"member variants", []string{"ID#: W123456789\nSubscriber ID: XJH4455667\nMember number 8841-2290\nMedicare Number: 1EG4-TE5-MK73\nMBI 1EG4TE5MK73"}, nil, []string{"W123456789", "XJH4455667", "8841-2290", "1EG4-TE5-MK73", "1EG4TE5MK73"}},
		{"medicaid number is no member id", []string{"Member number: H16745208\nMedicaid number: 7269193528"}, nil, []string{"H16745208"}},
		{"narrative with a line break", []string{"Your member ID is OSC66167656 and the claim number\nis 761MJ018287.\nYour member ID is U1485800345 and the claim number is\n3466783428035."}, []string{"761MJ018287", "3466783428035"}, []string{"OSC66167656", "U1485800345"}},
		{"value on the next line", []string{"Claim Number:\nE1234567890"}, []string{"E1234567890"}, nil},
		{"masked id as printed", []string{"Medicare Number XXX-XX-1234A"}, nil, []string{"XXX-XX-1234A"}},
		{"deduplicated across pages", []string{"Claim #: A12345", "Claim #: A12345\nClaim #: B67890"}, []string{"A12345", "B67890"}, nil},

		{"spanish labels", []string{"Número de reclamación: 2026-0412-118834\nNúmero de miembro: BHX882104417\nID de afiliado: W99887766"}, []string{"2026-0412-118834"}, []string{"BHX882104417", "W99887766"}},

		// Distractors.
		{"placeholders", []string{"Claim #: [CLAIMNUMBER]\nMember ID: [MEMBERNUMBER]\n<MemberName>\nClaim Number: <ClaimNumber>"}, nil, nil},
		{"no digit", []string{"Claim Number: PENDING\nMember ID: ABCDEFG"}, nil, nil},
		{"phone after label", []string{"Claim #: 844-516-3832\nMember ID: 1-800-235-7111"}, nil, nil},
		{"date after label", []string{"Claim #: 2023-03-03\nReference #: 3/3/23"}, nil, nil},
		{"amount after label", []string{"Claim #: 1250.00\nReference #: $205.20"}, nil, nil},
		{"too short and too long", []string{"Claim #: A123\nClaim #: 123456789012345678901234"}, nil, nil},
		{"tax and provider ids are not members", []string{"Tax ID#: 12-3456789\nProvider ID # 9988776655\nGroup ID#: 55667788"}, nil, nil},
		{"label word following", []string{"Claim Number Date of Service Amount"}, nil, nil},
		{"longer word is no label", []string{"ICNA 12345678"}, nil, nil},

		{"two-column form read as blocks", []string{"Member name:\nMember ID:\nClaim number\nDate of Birth:\n\nPriya Chen\nU8924188171\n5057402007458\n06-14-1966\n"}, []string{"5057402007458"}, []string{"U8924188171"}},
		{"block label with its abbreviation", []string{"Beneficiary:\nInternal Control Number (ICN):\n\nPat Doe\n9731225262313\n"}, []string{"9731225262313"}, nil},
		{"blocks of different sizes are not paired", []string{"Member ID:\nClaim number\n\nU8924188171\n"}, nil, nil},

		// Fixed bugs.
		{"bug: an id printed in groups", []string{"Member ID#:  HF 4471 0092 01\nSubscriber ID: ABC 1"}, nil, []string{"HF4471009201"}},
		{"bug: OCR read a leading S as a dollar sign", []string{"Subscriber ID: $GQ682207871\nClaim #: $1250.00"}, nil, []string{"SGQ682207871"}},
		{"bug: OCR split ids with a space", []string{"Member ID: U89241 88171\nCLAIM# 95282091 141359\nClaim #: A12345 2024 was"}, []string{"95282091141359", "A12345"}, []string{"U8924188171"}},
		{"bug: a prior-authorization number was taken for a claim", []string{"Authorization/Reference #: PA584656557\nAuth Reference # PA11122233"}, nil, nil},
		{"bug: ICN in parentheses before the colon", []string{"Payer Claim Control Number (ICN): 22026004567890123"}, []string{"22026004567890123"}, nil},
		{"bug: OCR spellings of the labels", []string{"Ciaim # : CHP-2O26-OO4417      Member lD : CH9O12234"}, []string{"CHP-2O26-OO4417"}, []string{"CH9O12234"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, m := FindIdentifiers(tt.pages)
			if tt.claims == nil {
				tt.claims = []string{}
			}
			if tt.members == nil {
				tt.members = []string{}
			}
			if !slices.Equal(c, tt.claims) || !slices.Equal(m, tt.members) {
				t.Errorf("FindIdentifiers(%q)\n got %q %q\nwant %q %q", tt.pages, c, m, tt.claims, tt.members)
			}
		})
	}
}

var idShapeRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]*$`)

func idCheck(t *testing.T, ids []string) {
	t.Helper()
	seen := map[string]bool{}
	for _, v := range ids {
		n := len(strings.ReplaceAll(v, "-", ""))
		if !idShapeRe.MatchString(v) || n < 5 || n > 23 || !strings.ContainsAny(v, "0123456789") {
			t.Fatalf("invalid identifier %q", v)
		}
		if seen[v] {
			t.Fatalf("duplicate identifier %q", v)
		}
		seen[v] = true
	}
}

func FuzzFindIdentifiers(f *testing.F) {
	for _, s := range cdFuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, m := FindIdentifiers(strings.Split(s, "\f"))
		if c == nil || m == nil {
			t.Fatal("nil slice")
		}
		idCheck(t, c)
		idCheck(t, m)
	})
}
