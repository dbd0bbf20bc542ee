package finops

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// readAll reads an answer into per-container samples.
func readAll(body []byte, maxSeries int) (map[containerKey3][][2]float64, []string, error) {
	got := map[containerKey3][][2]float64{}
	warns, err := readMatrix(body, maxSeries, func(k containerKey3) func(int64, float64) error {
		got[k] = got[k]
		return func(ms int64, v float64) error {
			got[k] = append(got[k], [2]float64{float64(ms), v})
			return nil
		}
	})
	return got, warns, err
}

func TestReadMatrix(t *testing.T) {
	body := `{"status":"success","warnings":["w1"],"data":{"resultType":"matrix","result":[
	 {"metric":{"__name__":"x","container":"app","namespace":"team-\u0031","pod":"p","extra":{"n":[1,true,null]}},
	  "values":[[1730419500,"0.25"],[1730419800.5,"1e+09"],[1730420100.125,"NaN"],[1730420400,"+Inf"],[1730420700,"-2"],[1730421000,"0.1234567890123456789"]]},
	 {"metric":{"namespace":"b","pod":"q","container":"c"},"values":[]}]},"infos":["i"]}`
	got, warns, err := readAll([]byte(body), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) != 1 || warns[0] != "w1" {
		t.Errorf("warnings %v, want [w1]", warns)
	}
	s := got[containerKey3{"team-1", "p", "app"}]
	want := [][2]float64{{1730419500000, 0.25}, {1730419800500, 1e9}, {1730420100125, math.NaN()}, {1730420400000, math.Inf(1)}, {1730420700000, -2}, {1730421000000, 0.1234567890123456789}}
	if len(s) != len(want) {
		t.Fatalf("samples %v, want %v", s, want)
	}
	for i, w := range want {
		if s[i][0] != w[0] || !(s[i][1] == w[1] || math.IsNaN(w[1]) && math.IsNaN(s[i][1])) {
			t.Errorf("sample %d = %v, want %v", i, s[i], w)
		}
	}
	if _, ok := got[containerKey3{"b", "q", "c"}]; !ok || len(got) != 2 {
		t.Errorf("series %v, want the empty one too", got)
	}
}

// The decimal fast path gives strconv's value.
func TestSampleValueMatchesStrconv(t *testing.T) {
	for _, v := range []string{"0", "0.1", "0.3", "123456.789012345", "999999999999999", "0.000000000000001", "268435456", "0.1999999999999999"} {
		r := &jsonReader{b: []byte(`"` + v + `"`)}
		got, err := r.sampleValue()
		if err != nil {
			t.Fatal(err)
		}
		var want float64
		if err := json.Unmarshal([]byte(v), &want); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s read as %v, want %v", v, got, want)
		}
	}
}

func TestReadMatrixRejects(t *testing.T) {
	ok := `{"metric":{"namespace":"a","pod":"p","container":"c"},"values":[[1,"1"]]}`
	for _, c := range []struct{ body, want string }{
		{``, "want '{'"},
		{`{"status":"success","data":{"resultType":"vector","result":[]}}`, `result type "vector"`},
		{`{"status":"error","errorType":"bad_data","error":"x"}`, `status "error"`},
		{`{"status":"success"}`, "no data"},
		{`{"status":"success","data":{"result":[` + ok + `,` + ok + `]}}`, "more than the 1 series"},
		{`{"status":"success","data":{"result":[{"values":[[1,"1"]],"metric":{}}]}}`, "values before its labels"},
		{`{"status":"success","data":{"result":[{"metric":{},"values":[[1,1]]}]}}`, `want '"'`},
		{`{"status":"success","data":{"result":[{"metric":{},"values":[[1,"one"]]}]}}`, "not a number"},
		{`{"status":"success","data":{"result":[{"metric":{},"values":[[1.0001,"1"]]}]}}`, "finer than a millisecond"},
		{`{"status":"success","data":{"result":[{"metric":{},"values":[[1,"1"]`, "ends"},
		{`{"status":"success","data":{"result":[]}} x`, "data after the answer"},
		{`{"status":"success","data":{"result":[]},"data":{"result":[]}}`, "two data members"},
		{`{"status":"success","x":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `,"data":{"result":[]}}`, "nested deeper"},
		{`{"status":"success","data":{"result":[{"metric":{"pod":"\q"}}]}}`, "bad escape"},
	} {
		_, _, err := readAll([]byte(c.body), 1)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%.60s: error %v, want one saying %q", c.body, err, c.want)
		}
	}
}

// Whatever the bytes, the reader neither panics nor accepts what is not
// JSON, and what it accepts has the samples encoding/json reads.
func FuzzReadMatrix(f *testing.F) {
	f.Add([]byte(`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"namespace":"a","pod":"p","container":"c"},"values":[[1730419500,"0.25"],[1730419800.5,"NaN"]]}]}}`))
	f.Add([]byte(`{"status":"success","warnings":["w"],"data":{"result":[{"metric":{"pod":"\u00e9"},"values":[]}]},"infos":[]}`))
	f.Add([]byte(`{"status":"error","errorType":"timeout","error":"query timed out"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		got, _, err := readAll(body, 5)
		if err != nil {
			return
		}
		if !json.Valid(body) {
			t.Fatalf("accepted invalid JSON %q", body)
		}
		var ref struct {
			Data struct {
				Result []struct {
					Metric map[string]string    `json:"metric"`
					Values [][2]json.RawMessage `json:"values"`
				} `json:"result"`
			} `json:"data"`
		}
		if err := json.Unmarshal(body, &ref); err != nil {
			return // a duplicate member encoding/json reads otherwise
		}
		n := 0
		for _, s := range ref.Data.Result {
			n += len(s.Values)
		}
		m := 0
		for _, s := range got {
			m += len(s)
		}
		if n != m {
			t.Fatalf("%d samples, encoding/json reads %d, in %q", m, n, body)
		}
	})
}
