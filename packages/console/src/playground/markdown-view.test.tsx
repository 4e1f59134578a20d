/** @vitest-environment happy-dom */
import { cleanup, render } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { MarkdownView } from "./markdown-view";

afterEach(cleanup);

/** Every element the render made, with every attribute: what the browser would act on. */
function elementsOf(container: Element) {
  return [...container.querySelectorAll("*")].map((el) => ({
    tag: el.tagName.toLowerCase(),
    attributes: [...el.attributes].map((a) => `${a.name}=${a.value}`),
  }));
}

const ALLOWED_TAGS = new Set(
  "div p span strong em del code pre br a ul ol li blockquote h3 h4 h5 h6 hr table thead tbody tr th td".split(" "),
);

describe("MarkdownView (model output, untrusted)", () => {
  const hostile = [
    '<script>alert("x")</script>',
    '<img src="x" onerror="alert(1)">',
    'Hello <b onclick="alert(1)">bold</b> <iframe src="https://evil.example"></iframe>',
    "[click](javascript:alert(1)) and [data](data:text/html;base64,PHNjcmlwdD4=)",
    "![pixel](https://tracker.example/p.gif)",
    '<div>\n\n**inside html**\n\n</div>\n\n<style>body{display:none}</style>\n<svg onload="alert(1)"></svg>',
    "| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | `<script>` |",
  ];

  it.each(hostile)("makes no element or attribute from markup in %j", (text) => {
    const { container } = render(<MarkdownView text={text} />);
    for (const el of elementsOf(container)) {
      expect(ALLOWED_TAGS.has(el.tag), `<${el.tag}>`).toBe(true);
      for (const attribute of el.attributes) expect(attribute).not.toMatch(/^on|javascript:|data:/i);
    }
    expect(container.querySelectorAll("script, img, iframe, style, svg, object, embed, form")).toHaveLength(0);
  });

  it("shows raw HTML as the text it is", () => {
    const { container } = render(<MarkdownView text={'<img src="x" onerror="alert(1)">'} />);
    expect(container.textContent).toContain('<img src="x" onerror="alert(1)">');
  });

  it("links only http(s) and mailto, opened without the opener or a referrer, and loads no images", () => {
    const { container } = render(
      <MarkdownView
        text={"[docs](https://example.com/a) [bad](javascript:alert(1)) " + "![cat](https://example.com/c.png)"}
      />,
    );
    const links = [...container.querySelectorAll("a")];
    expect(links.map((a) => [a.textContent, a.getAttribute("href"), a.getAttribute("rel")])).toEqual([
      ["docs", "https://example.com/a", "noopener noreferrer nofollow"],
      ["[image: cat]", "https://example.com/c.png", "noopener noreferrer nofollow"],
    ]);
    expect(container.textContent).toContain("bad");
  });

  it("still renders the Markdown a model writes: headings, lists, code, tables", () => {
    const { container } = render(
      <MarkdownView
        text={"# Title\n\n- one\n- **two**\n\n```js\nlet x = '<b>';\n```\n\n| k | v |\n|---|---|\n| a | 1 |"}
      />,
    );
    expect(container.querySelector("h3")?.textContent).toBe("Title");
    expect([...container.querySelectorAll("li")].map((li) => li.textContent)).toEqual(["one", "two"]);
    expect(container.querySelector("li strong")?.textContent).toBe("two");
    expect(container.querySelector("pre code")?.textContent).toBe("let x = '<b>';");
    expect([...container.querySelectorAll("td")].map((td) => td.textContent)).toEqual(["a", "1"]);
  });
});
