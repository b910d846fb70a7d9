--[[
socratiq: quizzes, a dashboard and progress rings in a Quarto book (or any page pandoc writes
as HTML), drawn at build time by `socratiq-local` (on PATH), so a page reads its quizzes before
any script runs. Written into a book by `socratiq-local quarto-extension`; see the README of
socratiq-local, section Quarto.

  ::: {.quiz file="quizzes/ch1.json" section="sec-intro"}
  :::
  ::: {.quiz-dashboard}
  :::
  ::: {.quiz-progress chapter="ch1"}
  :::

(or the MkDocs plugin's fenced ```quiz blocks). This filter only finds the blocks: one
`socratiq-local quarto-filter` run per page that has any checks them and draws them with the
engine's own renderer, and says where a broken one is; then the build stops. Pages without a
block get nothing, not even the script tag. Runs on pandoc 2.17 and later: the Quarto-only
calls are used only when Quarto provides them.
]]

local KINDS = { ["quiz"] = true, ["quiz-dashboard"] = true, ["quiz-progress"] = true }

local options = {}  -- the `socratiq:` metadata and the page's own, as strings
local found = {}    -- the blocks, in document order: kind, form and text (see block_of)
local drawn = {}    -- their HTML, once socratiq-local answered
local next_block = 0

local function is_html()
  if quarto and quarto.doc and quarto.doc.is_format then
    return quarto.doc.is_format("html")
  end
  return FORMAT:match("html") ~= nil
end

--- A metadata value as a string (nil if absent; the first item of a list).
local function meta_text(value)
  if value == nil then return nil end
  if type(value) == "boolean" then return value and "true" or "false" end
  if type(value) == "string" then return value end
  if pandoc.utils.type(value) == "List" then return meta_text(value[1]) end
  return pandoc.utils.stringify(value)
end

local function json_string(text)
  local escaped = text:gsub('[%c"\\]', function(c)
    if c == '"' or c == "\\" then return "\\" .. c end
    return string.format("\\u%04x", c:byte())
  end)
  return '"' .. escaped .. '"'
end

--- A div's attributes as a JSON object: what the fenced block's YAML would say.
local function attributes_json(el)
  local fields = {}
  for key, value in pairs(el.attributes) do
    table.insert(fields, json_string(key) .. ": " .. json_string(value))
  end
  return "{" .. table.concat(fields, ", ") .. "}"
end

local function read_options(meta)
  local ours = meta.socratiq or {}
  local book = meta.book or meta.website or {}
  options = {
    book = meta_text(ours.book) or meta_text(book.title) or "",
    bundle = meta_text(ours.bundle) or "socratiq",
    bundle_source = meta_text(ours["bundle-source"]),
    project = meta_text(ours.project),
    lang = meta_text(ours.lang) or meta_text(meta.lang) or "en",
    mlsysbook = meta_text(ours.mlsysbook),
    chapter_quiz = meta_text(meta.quiz),
  }
end

--- The block an element is, if it is one: its kind, its form and the text socratiq-local
--- reads: a div's attributes as JSON ("div"), the code block in a div without attributes
--- ("div-code"), or a fenced ```quiz block's text ("code").
local function block_of(el)
  if el.t == "CodeBlock" then
    local kind = el.classes[1]
    if KINDS[kind] and kind ~= "quiz-progress" then return { kind, "code", el.text } end
    return nil
  end
  for _, class in ipairs(el.classes) do
    if KINDS[class] then
      local text = attributes_json(el)
      for _, inner in ipairs(el.content) do  -- a quiz written in the div, in a code block
        if text == "{}" and inner.t == "CodeBlock" then return { class, "div-code", inner.text } end
      end
      return { class, "div", text }
    end
  end
  return nil
end

local function collect(el)
  local block = block_of(el)
  if block then table.insert(found, block) end
end

local function page_source()
  if quarto and quarto.doc and quarto.doc.input_file then return quarto.doc.input_file end
  return PANDOC_STATE.input_files[1] or "-"
end

--- The book's root: Quarto's project, else where pandoc runs (or the `socratiq: project:`).
local function project_folder()
  if quarto and quarto.project and quarto.project.directory then return quarto.project.directory end
  return options.project or "."
end

local function site_folder()
  if quarto and quarto.project and quarto.project.output_directory then
    return quarto.project.output_directory
  end
  return nil
end

local function wants_script()
  local mlsysbook = options.mlsysbook
  if #found > 0 then return true end
  if mlsysbook == nil or mlsysbook == "false" then return false end
  return mlsysbook ~= "true" or options.chapter_quiz ~= nil
end

--- socratiq-local's answer: status, script tag, then each block's HTML, NUL-separated.
local function split(reply)
  local parts, start = {}, 1
  while true do
    local at = reply:find("\0", start, true)
    if not at then table.insert(parts, reply:sub(start)); return parts end
    table.insert(parts, reply:sub(start, at - 1))
    start = at + 1
  end
end

local function add_to_head(doc, html)
  if quarto and quarto.doc and quarto.doc.include_text then
    quarto.doc.include_text("in-header", html)
    return doc
  end
  local raw = pandoc.RawBlock("html", html)
  local includes = doc.meta["header-includes"]
  if includes == nil then
    doc.meta["header-includes"] = pandoc.MetaList({ pandoc.MetaBlocks({ raw }) })
  elseif pandoc.utils.type(includes) == "List" then
    table.insert(includes, pandoc.MetaBlocks({ raw }))
    doc.meta["header-includes"] = includes
  else
    doc.meta["header-includes"] = pandoc.MetaList({ includes, pandoc.MetaBlocks({ raw }) })
  end
  return doc
end

local function draw(doc)
  if not wants_script() then return nil end
  local args = {
    "quarto-filter", "--page", page_source(), "--book", options.book,
    "--bundle", options.bundle, "--lang", options.lang,
  }
  local extra = {
    ["--project"] = project_folder(), ["--site"] = site_folder(),
    ["--output"] = PANDOC_STATE.output_file, ["--mlsysbook"] = options.mlsysbook,
    ["--chapter-quiz"] = options.chapter_quiz, ["--bundle-source"] = options.bundle_source,
  }
  for flag, value in pairs(extra) do
    if value then table.insert(args, flag); table.insert(args, value) end
  end
  local records = {}
  for _, block in ipairs(found) do
    for _, field in ipairs(block) do table.insert(records, field) end
  end
  local ok, reply = pcall(pandoc.pipe, "socratiq-local", args, table.concat(records, "\0"))
  if not ok then
    error("socratiq: `socratiq-local quarto-filter` failed (is socratiq-local installed, "
      .. "and on PATH?): " .. tostring(reply), 0)
  end
  local parts = split(reply)
  if parts[1] ~= "ok" then error(parts[2] or reply, 0) end
  for index = 3, #parts do drawn[index - 2] = parts[index] end
  return add_to_head(doc, parts[2])
end

local function replace(el)
  if not block_of(el) then return nil end
  next_block = next_block + 1
  return pandoc.RawBlock("html", drawn[next_block])
end

if not is_html() then return {} end

return {
  { Meta = read_options },
  { Div = collect, CodeBlock = collect },
  { Pandoc = draw },
  { Div = replace, CodeBlock = replace },
}
