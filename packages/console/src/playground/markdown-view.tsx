import { Lexer, type Token, type Tokens } from "marked";
import type { ComponentChildren, VNode } from "preact";

/**
 * Model output as Markdown, built as elements from marked's tokens: no HTML string is ever made, so the
 * output cannot inject markup. Raw HTML in the output is shown as text; links open only for http(s) and
 * mailto; images are not loaded (their alt text links to them), so output cannot make the browser fetch.
 */
export function MarkdownView({ text }: { text: string }) {
  const tokens = new Lexer({ gfm: true, breaks: true }).lex(text);
  return <div class="markdown">{blocks(tokens)}</div>;
}

const SAFE_URL = /^(https?:|mailto:)/i;

function blocks(tokens: Token[]): ComponentChildren[] {
  return tokens.map((token, i) => block(token, i));
}

function block(token: Token, key: number): VNode | string | null {
  switch (token.type) {
    case "space":
    case "def":
      return null;
    case "heading": {
      const Tag = `h${Math.min(6, (token as Tokens.Heading).depth + 2)}` as "h3";
      return <Tag key={key}>{inline(token.tokens)}</Tag>;
    }
    case "paragraph":
      return <p key={key}>{inline(token.tokens)}</p>;
    case "code":
      return (
        <pre key={key}>
          <code>{(token as Tokens.Code).text}</code>
        </pre>
      );
    case "blockquote":
      return <blockquote key={key}>{blocks((token as Tokens.Blockquote).tokens)}</blockquote>;
    case "list": {
      const list = token as Tokens.List;
      const items = list.items.map((item, j) => <li key={j}>{blocks(item.tokens)}</li>);
      return list.ordered ? (
        <ol key={key} start={typeof list.start === "number" ? list.start : undefined}>
          {items}
        </ol>
      ) : (
        <ul key={key}>{items}</ul>
      );
    }
    case "table": {
      const table = token as Tokens.Table;
      return (
        <table key={key}>
          <thead>
            <tr>
              {table.header.map((cell, j) => (
                <th key={j} scope="col">
                  {inline(cell.tokens)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, j) => (
              <tr key={j}>
                {row.map((cell, k) => (
                  <td key={k}>{inline(cell.tokens)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      );
    }
    case "hr":
      return <hr key={key} />;
    case "text":
      // A tight list item's text: no paragraph of its own.
      return <span key={key}>{token.tokens ? inline(token.tokens) : token.text}</span>;
    default:
      // html and anything marked adds later: the source, as text.
      return <p key={key}>{token.raw}</p>;
  }
}

function inline(tokens: Token[] | undefined): ComponentChildren[] {
  return (tokens ?? []).map((token, i) => inlineToken(token, i));
}

function inlineToken(token: Token, key: number): VNode | string {
  switch (token.type) {
    case "text":
      return token.tokens ? <span key={key}>{inline(token.tokens)}</span> : token.text;
    case "escape":
      return token.text;
    case "strong":
      return <strong key={key}>{inline(token.tokens)}</strong>;
    case "em":
      return <em key={key}>{inline(token.tokens)}</em>;
    case "del":
      return <del key={key}>{inline(token.tokens)}</del>;
    case "codespan":
      return <code key={key}>{token.text}</code>;
    case "br":
      return <br key={key} />;
    case "link": {
      const link = token as Tokens.Link;
      if (!SAFE_URL.test(link.href)) return <span key={key}>{inline(link.tokens)}</span>;
      return (
        <a key={key} href={link.href} rel="noopener noreferrer nofollow" target="_blank">
          {inline(link.tokens)}
        </a>
      );
    }
    case "image": {
      const image = token as Tokens.Image;
      const label = `[image: ${image.text || image.href}]`;
      if (!SAFE_URL.test(image.href)) return label;
      return (
        <a key={key} href={image.href} rel="noopener noreferrer nofollow" target="_blank">
          {label}
        </a>
      );
    }
    default:
      // Inline HTML (`tag`) and anything unknown: the source, as text.
      return token.raw;
  }
}
