// Package storetest is the conformance suite for implementations of
// [store.Store]. Any backend should pass it, unchanged, under -race:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store {
//			st, err := mybackend.Open(...)
//			if err != nil {
//				t.Fatal(err)
//			}
//			t.Cleanup(func() { st.Close() })
//			return st
//		})
//	}
//
// Run calls open once per subtest and expects an empty store each time.
// The store returned must stay usable until the subtest ends; the suite
// closes it itself only in the subtest that checks Close (closing twice
// must be harmless).
//
// [RunBenchmarks] measures the same operations on every backend, so their
// figures can be compared.
package storetest
