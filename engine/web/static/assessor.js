// The source document view: bring the cited passage to the middle of the window, after the
// browser's own jump to #passage (which puts it at the very top edge), and without the fragment.
window.addEventListener("load", function () {
  var passage = document.getElementById("passage");
  if (passage) {
    passage.scrollIntoView({ block: "center" });
  }
});
