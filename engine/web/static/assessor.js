// The source document view: bring the cited passage into view (also without the #passage
// fragment, e.g. after the language switch).
document.addEventListener("DOMContentLoaded", function () {
  var passage = document.getElementById("passage");
  if (passage) {
    passage.scrollIntoView({ block: "center" });
  }
});
