// Examples of the package's main entry points.

package text_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"

	"github.com/arkit-go/arkit/text"
)

func ExampleNewCharTokenizer() {
	tok, err := text.NewCharTokenizer("hello world")
	if err != nil {
		panic(err)
	}
	ids, _ := tok.Encode("hello")
	fmt.Println(tok.Size(), ids, tok.Decode(ids))

	_, err = tok.Encode("hello, World!")
	fmt.Println(err)
	fmt.Println(errors.Is(err, text.ErrUnknownSymbol))
	// Output:
	// 8 [3 2 4 4 5] hello
	// text: 3 symbols not in the vocabulary (first at byte offset 5): ",", "W", "!"
	// true
}

func ExampleTrainBPE() {
	corpus := strings.Repeat("the thin thing, then the theme. ", 20)
	tok, err := text.TrainBPE(corpus, 1000)
	if err != nil {
		panic(err)
	}
	// Training stopped once no pair of tokens occurred twice.
	fmt.Println(tok.Size())

	ids, _ := tok.Encode("then the thing thinned")
	var pieces []string
	for _, id := range ids {
		pieces = append(pieces, fmt.Sprintf("%q", tok.Decode([]int32{id})))
	}
	fmt.Println(strings.Join(pieces, " "))
	// Output:
	// 265
	// "th" "e" "n" " the" " thing" " thin" "n" "e" "d"
}

func ExampleMarshalTokenizer() {
	tok, _ := text.NewCharTokenizer("To be,\nor not")
	kind, data := text.MarshalTokenizer(tok)
	fmt.Println(kind, data)

	back, err := text.UnmarshalTokenizer(kind, data)
	if err != nil {
		panic(err)
	}
	ids, _ := back.Encode("be not")
	fmt.Println(ids)
	// Output:
	// char ["\n"," ",",","T","b","e","n","o","r","t"]
	// [4 5 1 6 7 9]
}

func ExampleStreamer() {
	// A byte-level model emits "é" as two ids; nothing is printed until the
	// character is complete.
	s := text.NewStreamer(os.Stdout, text.ByteTokenizer{})
	for _, b := range []byte("café\n") {
		s.WriteID(int32(b))
	}
	s.Flush()
	// Output:
	// café
}

func ExampleStreamBatcher() {
	ids := []int32{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}
	sb, err := text.NewStreamBatcher(ids, 2, 3) // streams [0..6] and [7..13]
	if err != nil {
		panic(err)
	}
	x, y := make([]int32, 2*3), make([]int32, 2*3)
	for range 3 {
		reset := sb.Next(x, y)
		fmt.Println(x, y, reset)
	}
	// Output:
	// [0 7 1 8 2 9] [1 8 2 9 3 10] true
	// [3 10 4 11 5 12] [4 11 5 12 6 13] false
	// [0 7 1 8 2 9] [1 8 2 9 3 10] true
}

func ExampleRandomBatcher() {
	ids := []int32{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	rb, err := text.NewRandomBatcher(ids, 2, 3, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		panic(err)
	}
	x, y := make([]int32, 2*3), make([]int32, 2*3)
	rb.Next(x, y) // rows start at random offsets, here 5 and 4
	fmt.Println(x, y)
	// Output:
	// [5 4 6 5 7 6] [6 5 7 6 8 7]
}

func ExampleSplit() {
	tok := text.ByteTokenizer{}
	ids, _ := tok.Encode("abcdefghijklmnopqrst")
	train, val, err := text.Split(ids, 0) // the default: the last 10%
	if err != nil {
		panic(err)
	}
	fmt.Println(len(train), tok.Decode(val))

	_, err = text.NewStreamBatcher(train, 4, 8)
	fmt.Println(err)
	// Output:
	// 18 st
	// text: corpus has 18 tokens; 4 streams with a window of 8 need at least 36: corpus too short
}

func ExampleReadCorpus() {
	corpus, err := text.ReadCorpus(strings.NewReader("O Romeo, Romeo!"), 0)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(corpus))
	_, err = text.ReadCorpus(strings.NewReader("O Romeo, Romeo!"), 10)
	fmt.Println(err)
	// Output:
	// 15
	// text: corpus too large (limit 10 bytes)
}
