// Keyboard and screen-reader access to what Dash draws without it: the view tabs and the
// figures highlighted in the article (plain divs and marks), and three of Dash 4's components
// that axe-core flags (a dropdown's focus target hidden from screen readers, the date picker's
// wrapper carrying ARIA attributes a div may not have, the upload's unlabelled file input).
// Applied to whatever the page draws, once per frame of changes.
(function () {
    function set(element, name, value) {  // only a change: an unchanged write would loop
        if (element.getAttribute(name) !== value) { element.setAttribute(name, value); }
    }
    function drop(element, name) {
        if (element.hasAttribute(name)) { element.removeAttribute(name); }
    }

    function enhance(root) {
        root.querySelectorAll("#view").forEach(function (list) {
            set(list, "role", "tablist");
            set(list, "aria-label", "Views");
        });
        root.querySelectorAll("#view .tab").forEach(function (tab) {
            var selected = tab.classList.contains("tab--selected");
            set(tab, "role", "tab");
            set(tab, "aria-selected", selected ? "true" : "false");
            set(tab, "tabindex", selected ? "0" : "-1");
        });
        root.querySelectorAll("#article-text mark.figure").forEach(function (mark) {
            set(mark, "tabindex", "0");
            set(mark, "role", "button");
        });
        root.querySelectorAll(".dash-dropdown-focus-target").forEach(function (input) {
            var button = input.parentElement &&
                input.parentElement.querySelector("button.dash-dropdown");
            var shown = button && button.querySelector(".dash-dropdown-value");
            drop(input, "aria-hidden");
            set(input, "role", "combobox");
            set(input, "aria-haspopup", "listbox");
            set(input, "aria-expanded", (button && button.getAttribute("aria-expanded"))
                || "false");
            set(input, "aria-label", "Filter: " + (shown ? shown.textContent.trim() : ""));
        });
        root.querySelectorAll(".dash-datepicker-input-wrapper").forEach(function (wrapper) {
            ["aria-labelledby", "aria-haspopup", "aria-expanded", "aria-disabled", "type"]
                .forEach(function (name) { drop(wrapper, name); });
        });
        root.querySelectorAll("#upload-file input[type=file]").forEach(function (input) {
            set(input, "aria-label", "Choose an article file to upload");
        });
    }

    // Enter or Space on a tab or a highlight clicks it; arrows, Home and End move along the tabs.
    document.addEventListener("keydown", function (event) {
        var target = event.target;
        if (!(target instanceof Element)) { return; }
        var isTab = target.matches("#view .tab");
        var isMark = target.matches("#article-text mark.figure");
        if ((isTab || isMark) && (event.key === "Enter" || event.key === " ")) {
            event.preventDefault();
            target.click();
            return;
        }
        if (isTab && (event.key === "ArrowRight" || event.key === "ArrowLeft"
                      || event.key === "Home" || event.key === "End")) {
            var tabs = Array.prototype.slice.call(document.querySelectorAll("#view .tab"));
            var at = tabs.indexOf(target);
            var next = event.key === "Home" ? 0 : event.key === "End" ? tabs.length - 1
                : (at + (event.key === "ArrowRight" ? 1 : -1) + tabs.length) % tabs.length;
            event.preventDefault();
            tabs[next].focus();
            tabs[next].click();
        }
    });

    var pending = false;
    new MutationObserver(function () {
        if (pending) { return; }
        pending = true;
        window.requestAnimationFrame(function () { pending = false; enhance(document); });
    }).observe(document.documentElement, {
        childList: true, subtree: true, attributes: true,
        attributeFilter: ["class", "aria-hidden", "aria-expanded", "aria-haspopup"]});
})();
