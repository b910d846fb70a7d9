importScripts(new URL(new URL(location).searchParams.get("bundle"), location).href + "sw.js");
